/** Word lists for people: first and last names (some with apostrophes), job titles, reps. */
export const FIRST_NAMES = [
  'Olivia',
  'Liam',
  'Emma',
  'Noah',
  'Amara',
  'Mateo',
  'Sofia',
  'Kenji',
  'Priya',
  'Lucas',
  'Chloe',
  'Ethan',
  'Zara',
  'Diego',
  'Hannah',
  'Arjun',
  'Mei',
  'Oscar',
  'Leila',
  'Tomás',
  'Freya',
  'Samuel',
  'Aisha',
  'Jonas',
  'Isabel',
  'Ravi',
  'Nora',
  'Felix',
  'Yuki',
  'Gabriel',
  'Ingrid',
  'Marcus',
  'Siobhan',
  'Elena',
  'Kwame',
  'Lena',
  'Hugo',
  'Fatima',
  'Declan',
  'Camille',
] as const;

export const LAST_NAMES = [
  'Smith',
  "O'Brien",
  'Garcia',
  'Nakamura',
  'Müller',
  'Okafor',
  'Johansson',
  'Patel',
  'Dubois',
  'Rossi',
  "D'Arcy",
  'Kim',
  'Novak',
  'Fernández',
  'Walsh',
  "O'Neil",
  'Schmidt',
  'Chen',
  'Haddad',
  'Lindqvist',
  'Bennett',
  'Kowalski',
  'Silva',
  'McAllister',
  'Ibrahim',
  'Tanaka',
  'Andersen',
  'Moreau',
  'Reyes',
  'Byrne',
] as const;

export const TITLES = [
  'CEO',
  'CTO',
  'CFO',
  'VP of Sales',
  'VP of Engineering',
  'Head of Operations',
  'Procurement Manager',
  'IT Director',
  'Product Manager',
  'Marketing Lead',
  'Operations Analyst',
  'Office Manager',
  'Senior Buyer',
  'Data Engineer',
  'Customer Success Manager',
] as const;

/** Titles that usually sign contracts: contacts with them are more often decision makers. */
export const SENIOR_TITLES: ReadonlySet<string> = new Set([
  'CEO',
  'CTO',
  'CFO',
  'VP of Sales',
  'VP of Engineering',
  'IT Director',
]);

export const CONTACT_TAGS = [
  { name: 'VIP', color: 'purpleBright' },
  { name: 'Newsletter', color: 'blueLight2' },
  { name: 'Technical', color: 'cyanLight1' },
  { name: 'Champion', color: 'greenBright' },
  { name: 'Churn risk', color: 'redDark1' },
  { name: 'Event lead', color: 'orangeLight2' },
] as const;

export const SALES_REPS = [
  { name: 'Ada Lovelace', color: 'blueBright' },
  { name: 'Grace Hopper', color: 'tealBright' },
  { name: "Conor O'Sullivan", color: 'orangeBright' },
  { name: 'Priya Raman', color: 'pinkBright' },
] as const;

/** Lower-case ASCII letters only: "Fernández" → "fernandez", "O'Brien" → "obrien". */
export function emailLocalPart(first: string, last: string): string {
  const clean = (s: string): string =>
    s
      .normalize('NFD')
      .replace(/[^A-Za-z]/g, '')
      .toLowerCase();
  return `${clean(first)}.${clean(last)}`;
}
