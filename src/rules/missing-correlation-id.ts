import { count, percent } from './support/log-facts.js';
import { defineRule } from './types.js';

export default defineRule({
  id: 'missing-correlation-id',
  category: 'observability',
  severity: 'low',
  appliesTo: ['log-source'],
  docs: {
    summary: 'Requests are logged without a request id although the log format has a field for one.',
    rationale:
      'A session problem crosses a proxy, a load balancer, several app nodes and a store; a request id (X-Request-ID, ' +
      'nginx $request_id, HAProxy unique-id, the ALB trace id) is what lets one follow a failing request through ' +
      'them. A format with the field but lines with "-" in it means some hop does not set or pass the header on, so ' +
      'exactly the requests one needs to trace cannot be. Judged only for formats that carry a request id field.',
    fix:
      'Set the id at the edge and pass it on: nginx `proxy_set_header X-Request-ID $request_id;` (and log ' +
      '$request_id), HAProxy `unique-id-format` + `unique-id-header X-Request-ID`, Apache mod_unique_id; make the app ' +
      'log the incoming header (pino-http genReqId, ECS `http.request.id`) and forward it on its own calls.',
  },
  check(source, ctx) {
    if (!source.hasRequestIdField || source.withoutRequestId === 0) return;
    ctx.report({
      node: source,
      message:
        `${count(source.withoutRequestId)} of ${count(source.requests)} requests (${percent(source.withoutRequestId, source.requests)}) in ${source.file} ` +
        `have no request id although the ${source.format} format logs one; the first is at line ${source.location.line}`,
    });
  },
});
