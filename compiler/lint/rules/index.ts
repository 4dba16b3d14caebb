// Every lint rule, in the order of lint-rules.md (then the extensions).
// A new rule is a file in this folder, an entry here, a page in
// docs/rules/ and a test in tests/lint/rules/; the meta-tests check all four.

import type { LintRule } from '../rule.ts';
import { companyPerspective } from './company-perspective.ts';
import { customerReference } from './customer-reference.ts';
import { deprecatedReference } from './deprecated-reference.ts';
import { internalComparison } from './internal-comparison.ts';
import { invertedPerspective } from './inverted-perspective.ts';
import { missingDescription } from './missing-description.ts';
import { missingOwner } from './missing-owner.ts';
import { missingThresholds } from './missing-thresholds.ts';
import { naming } from './naming.ts';
import { nullableScoreComponent } from './nullable-score-component.ts';
import { ratePopulation } from './rate-population.ts';
import { thresholdOrder } from './threshold-order.ts';
import { unusedMeasure } from './unused-measure.ts';

export const RULES: readonly LintRule[] = [
  customerReference,
  invertedPerspective,
  companyPerspective,
  internalComparison,
  missingOwner,
  missingDescription,
  missingThresholds,
  thresholdOrder,
  deprecatedReference,
  unusedMeasure,
  naming,
  ratePopulation,
  nullableScoreComponent,
];
