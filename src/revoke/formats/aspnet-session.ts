/**
 * ASP.NET Core's distributed session (Microsoft.AspNetCore.Session.DistributedSession) as it lands in
 * the cache entry's `data` field. It is not encrypted: only the session cookie is protected by Data
 * Protection. Format (big-endian): revision byte (2; 1 before the session id was added), entry count
 * in 3 bytes, the 16-byte session id (revision 2), then per entry a 2-byte key length, the UTF-8 key,
 * a 4-byte value length and the value bytes, which are whatever the app stored (SetString: UTF-8).
 */
import { FormatError, keyText, readLength } from './decoded.js';

const ID_BYTES = 16;

export function aspNetSessionDecode(bytes: Uint8Array): Map<string, Uint8Array> {
  if (bytes.length === 0) throw new FormatError('empty ASP.NET Core session data');
  const revision = bytes[0];
  if (revision !== 1 && revision !== 2) throw new FormatError(`unknown ASP.NET Core session serialization revision ${revision}`);
  const count = readLength(bytes, 1, 3, false);
  let pos = 4;
  if (revision === 2) {
    if (pos + ID_BYTES > bytes.length) throw new FormatError('truncated ASP.NET Core session data');
    pos += ID_BYTES;
  }
  const entries = new Map<string, Uint8Array>();
  for (let i = 0; i < count; i++) {
    const keyLength = readLength(bytes, pos, 2, false);
    pos += 2;
    if (pos + keyLength > bytes.length) throw new FormatError('truncated ASP.NET Core session data');
    const key = keyText(bytes.subarray(pos, pos + keyLength));
    pos += keyLength;
    const valueLength = readLength(bytes, pos, 4, false);
    pos += 4;
    if (valueLength > 0x7fffffff || pos + valueLength > bytes.length) throw new FormatError('truncated ASP.NET Core session data');
    entries.set(key, Uint8Array.from(bytes.subarray(pos, pos + valueLength)));
    pos += valueLength;
  }
  if (pos !== bytes.length) throw new FormatError('trailing bytes after the ASP.NET Core session entries');
  return entries;
}
