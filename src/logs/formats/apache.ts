/**
 * Apache LogFormat strings ("%h %l %u %t \"%r\" %>s %b ..."), translated to the nginx variables the
 * nginx reader compiles: the two describe the same kind of line, so one fast reader serves both.
 * --nginx-format takes either; a string with %directives and no $variables is read as Apache's.
 */

const SIMPLE: Record<string, string> = {
  h: '${remote_addr}', a: '${remote_addr}', l: '${remote_ident}', u: '${remote_user}', t: '[${time_local}]', r: '${request}',
  s: '${status}', b: '${body_bytes_sent}', B: '${body_bytes_sent}', m: '${request_method}', U: '${uri}', q: '${args}',
  H: '${server_protocol}', D: '${request_time_us}', T: '${request_time}', v: '${server_name}', V: '${host}', p: '${server_port}',
  P: '${pid}', I: '${bytes_received}', O: '${bytes_sent}', S: '${bytes_transferred}', X: '${connection_status}', L: '${request_id}',
  k: '${keepalives}', f: '${request_filename}', R: '${handler}', A: '${server_addr}',
};

/** Environment variables with a meaning here: mod_unique_id's id, mod_proxy_balancer's chosen worker. */
const ENVIRONMENT: Record<string, string> = { UNIQUE_ID: '${request_id}', BALANCER_WORKER_NAME: '${upstream_addr}', BALANCER_WORKER_ROUTE: '${upstream_addr}' };

export function isApacheLogFormat(text: string): boolean {
  return !/\$\{?[A-Za-z0-9_]/.test(text) && /%[<>!0-9,]*(?:\{[^}]*\})?[a-zA-Z]/.test(text);
}

/** `LogFormat "%h %l %u %t \"%r\" %>s %b" common` or the bare string -> an nginx log_format string. */
export function apacheToNginxFormat(text: string): string {
  let format = text.trim();
  const directive = /^(?:Custom|Global)?Log(?:Format)?\s+"((?:[^"\\]|\\.)*)"/i.exec(format);
  if (directive) format = directive[1];
  format = format.replace(/\\"/g, '"').replace(/\\t/g, '\t');
  // Modifiers (%>s, %400,501{User-agent}i, %!200a) are dropped: they change when a value is logged, not its place.
  return format.replace(/%%|%[<>!0-9,]*(?:\{([^}]*)\})?([a-zA-Z])/g, (match: string, argument: string | undefined, letter: string) => {
    if (match === '%%') return '%';
    if (argument !== undefined) {
      switch (letter) {
        case 'i': return `\${http_${argument.toLowerCase().replace(/-/g, '_')}}`;
        case 'C': return `\${cookie_${argument}}`;
        case 'e': return ENVIRONMENT[argument] ?? `\${env_${argument}}`;
        case 'o': return `\${sent_http_${argument.toLowerCase().replace(/-/g, '_')}}`;
        case 't': return '${time_custom}'; // strftime formats are not read: no time from this field
        case 'a': return '${remote_addr}';
        default: return `\${apache_${letter}}`;
      }
    }
    return SIMPLE[letter] ?? `\${apache_${letter}}`;
  });
}
