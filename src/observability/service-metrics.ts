import { AggregatorRegistry, Registry } from 'prom-client';
import type { MessageBus } from '../messaging/types.ts';

// One scrape for the whole service. With several worker processes each has its own registry;
// a scrape that reached one of them at random would make every counter jump between workers
// (Prometheus reads each drop as a reset). So a scrape asks every process over the bus for its
// registry and adds them up with prom-client's cluster aggregation: each metric's `aggregator`
// (sum unless declared, see GAUGE_AGGREGATION). A process that does not answer in time fails the
// scrape instead of leaving its share out: a missing share would look like a reset too.

const TOPIC = 'metrics.collect';

/** The text exposition content type of every scrape. */
export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/** Answers service-wide scrapes with this process's registry; returns the unsubscribe. */
export function answerScrapes(bus: MessageBus, registry: Registry): () => void {
  return bus.subscribe(TOPIC, () => registry.getMetricsAsJSON());
}

/** The whole service's metrics in the text format: every process's registry, aggregated. */
export async function scrapeService(bus: MessageBus): Promise<string> {
  const registries = (await bus.publish(TOPIC, null)) as object[];
  return AggregatorRegistry.aggregate(registries).metrics();
}
