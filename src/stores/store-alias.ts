/**
 * `--redis sessions=redis://127.0.0.1:6379`: the name app configs use for a store (a compose service,
 * a DNS name) in front of the address it is scanned at, so the map can link the two without guessing
 * (a store reached through a published port or a tunnel has another address than the apps use).
 */
export interface AliasedStore {
  alias?: string;
  address: string;
}

const ALIASED = /^([A-Za-z0-9][A-Za-z0-9_.-]*)=(.+)$/;

export function splitAlias(argument: string): AliasedStore {
  // A URL never has "=" before its "://"; a bare host:port has no "=" at all.
  const match = ALIASED.exec(argument);
  if (!match || match[1].includes('://')) return { address: argument };
  return { alias: match[1].toLowerCase(), address: match[2] };
}
