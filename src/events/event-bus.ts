/** One engine event, in the shape of the Engine API's EventMessage. */
export interface EngineEvent {
  Type: 'image' | 'container' | 'volume' | 'network' | 'daemon' | 'builder';
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: 'local';
  time: number;
  timeNano: number;
}

export type EventListener = (event: EngineEvent) => void;

/**
 * A synchronous in-process bus. It keeps the most recent events so that
 * `/events?since=` can replay them, as dockerd does with its own ring buffer.
 */
export interface EventBus {
  emit(type: EngineEvent['Type'], action: string, id: string, attributes?: Record<string, string>): void;
  /** Subscribes; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void;
  /** Buffered events with `timeNano` in [sinceNano, untilNano]. */
  recent(sinceNano: bigint, untilNano?: bigint): EngineEvent[];
}

const KEEP = 1024;

export function createEventBus(): EventBus {
  const listeners = new Set<EventListener>();
  const buffer: EngineEvent[] = [];
  return {
    emit(type, action, id, attributes = {}) {
      const nowNs = BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
      const event: EngineEvent = {
        Type: type,
        Action: action,
        Actor: { ID: id, Attributes: attributes },
        scope: 'local',
        time: Number(nowNs / 1_000_000_000n),
        timeNano: Number(nowNs),
      };
      buffer.push(event);
      if (buffer.length > KEEP) buffer.shift();
      for (const l of listeners) l(event);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    recent(sinceNano, untilNano) {
      return buffer.filter((e) => {
        const t = BigInt(e.timeNano);
        return t >= sinceNano && (untilNano === undefined || t <= untilNano);
      });
    },
  };
}
