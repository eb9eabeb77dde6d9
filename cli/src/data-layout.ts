/** Where `airsuite start` keeps the emulator's bases and records, inside the data directory. */
export const EMULATOR_DATA_SUBDIR = 'emulator';
