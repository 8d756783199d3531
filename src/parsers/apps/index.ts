import type { AppSettingsReader } from './types.js';

/** Every app session settings reader. */
export const APP_READERS: readonly AppSettingsReader[] = [];
