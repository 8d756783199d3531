/**
 * A worker thread of `token verify --batch` (verify-batch.ts): builds the verifier once from the key
 * and policy it is given, then judges the chunks of lines it is sent, in order, one message each.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toWire, verifyChunk, type LineChunk, type WorkerInit } from './verify-lines.js';
import { createVerifier } from './verify.js';

const init = workerData as WorkerInit;
const verifier = createVerifier(init.source, init.policy);
parentPort!.postMessage({ ready: true });

parentPort!.on('message', async (message: { id: number; chunk: LineChunk }) => {
  try {
    const output = await verifyChunk(verifier, message.chunk, init.sourcePrefix, init.denylist);
    parentPort!.postMessage({ id: message.id, output: toWire(output) });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: (error as Error)?.stack ?? String(error) });
  }
});
