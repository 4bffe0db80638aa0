import { reviewsContract } from './reviews.contract.ts';
import { createEmbeddedReviews } from '../../src/reviews/embedded-reviews.ts';

// One line per adapter.
reviewsContract('embedded', (reviews) => createEmbeddedReviews(reviews));
