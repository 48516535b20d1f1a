export * from './principal.js';
export * from './subjects.js';
export * from './fields.js';
export * from './policy.js';
export * from './sql.js';
export * from './mask.js';
export * from './sql-fields.js';
export { renderSecrecyMatrix } from './secrecy-matrix.js';
