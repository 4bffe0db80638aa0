import { promotionsContract } from './promotions.contract.ts';
import { createEmbeddedPromotions } from '../../src/promotions/embedded-promotions.ts';

// One line per adapter.
promotionsContract('embedded', (promotions) => createEmbeddedPromotions(promotions));
