export * from './location.js';
export * from './finding.js';
export * from './affinity.js';
export * from './report.js';
export * from './store.js';
export * from './node.js';
