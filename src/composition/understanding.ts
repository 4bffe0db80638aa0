import { join, resolve } from 'node:path';
import type { Config } from '../config.ts';
import type { SqliteCatalog } from '../catalog/sqlite-catalog.ts';
import type { DerivedEvent } from '../store/derived-file.ts';
import { loadIntentDataset } from '../understanding/dataset.ts';
import { createPersistedIntentClassifier } from '../understanding/persisted-classifier.ts';
import type { TrainedIntentClassifier } from '../understanding/classifier.ts';

/**
 * Understanding: the intent classifier, trained at start-up from the labelled data set in
 * STORE_DATA_DIR/intents. It knows the catalog's titles and authors ("Goodnight Punpun" is a
 * title, not a good night) and follows the catalog's changes, an import included, without a restart.
 */
export async function createUnderstanding(config: Config, ctx: { catalog: SqliteCatalog; dataDir: string; derivedEvent: (e: DerivedEvent) => void }): Promise<TrainedIntentClassifier> {
  const { catalog } = ctx;
  const dataset = loadIntentDataset(join(resolve(config.STORE_DATA_DIR), 'intents'));
  // Its weights are kept in DATA_DIR/derived, keyed by everything they are trained from: a restart
  // on an unchanged catalog and code reads them instead of training again.
  // The catalog's version keys it (not a hash of every series); a write between the two reads leaves the series hashed.
  const versionBefore = catalog.version();
  const series = await catalog.allSeries();
  const catalogVersion = catalog.version() === versionBefore ? versionBefore : undefined;
  const classifier = createPersistedIntentClassifier([...dataset.train, ...dataset.heldOut], { series }, { dir: join(ctx.dataDir, 'derived'), catalogVersion, onEvent: ctx.derivedEvent });
  catalog.onChange((changed, removedIds) => classifier.catalogChanged(changed, removedIds));
  return classifier;
}
