/**
 * events — the typed event bus that feeds `/events` (and later the dashboard).
 * Services emit; the API filters and streams. Knows nothing of other modules.
 */
export { createEventBus } from './event-bus.js';
export type { EngineEvent, EventBus, EventListener } from './event-bus.js';
