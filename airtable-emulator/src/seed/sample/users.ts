import { stableId } from './ids.ts';

export interface SampleUser {
  id: string;
  email: string;
  name: string;
}

/** The base owner: the user a local API key acts as. */
export const OWNER_USER: SampleUser = {
  id: stableId('usr', 'ada'),
  email: 'ada@example.com',
  name: 'Ada Lovelace',
};

export const SAMPLE_USERS: readonly SampleUser[] = [
  OWNER_USER,
  { id: stableId('usr', 'grace'), email: 'grace@example.com', name: 'Grace Hopper' },
  { id: stableId('usr', 'conor'), email: 'conor@example.com', name: "Conor O'Sullivan" },
];
