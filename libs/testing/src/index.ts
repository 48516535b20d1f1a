export * from './api-client.js';
export * from './postgres.js';
