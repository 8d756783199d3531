/** Host names as configs write them, reduced to what names a service. */

const IP = /^(?:\d{1,3}(?:\.\d{1,3}){3}|\[?[0-9a-f:]+\]?)$/i;

export function isAddress(host: string): boolean {
  return IP.test(host) || host === 'localhost' || host.startsWith('unix:');
}

/**
 * "web.shop.svc.cluster.local" -> { name: "web", namespace: "shop" }; "web.shop" likewise; "web" has no
 * namespace. Other dotted names (api.example.com) keep their first label as name and no namespace: they
 * only match a service of exactly that full name.
 */
export function serviceNameOf(host: string): { name: string; namespace?: string; full: string } {
  const lower = host.toLowerCase().replace(/\.$/, '');
  const labels = lower.split('.');
  if (labels.length === 1) return { name: lower, full: lower };
  if (labels.length === 2 || labels[2] === 'svc') return { name: labels[0], namespace: labels[1], full: lower };
  return { name: lower, full: lower };
}

/** The host of a store URL or address ("redis://:pw@cache:6379/0", "cache:11211", "tcp://cache:6379?auth=x"). */
export function hostOf(address: string): string {
  try {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(address)) return new URL(address).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    // not a URL after all: fall through to host:port
  }
  return address.replace(/:\d+$/, '').toLowerCase();
}
