import type { Fixture } from '../fixture-schema.ts';
import { productRoadmapBase } from './product-roadmap.ts';
import { salesCrmBase } from './sales-crm.ts';
import { SAMPLE_USERS } from './users.ts';

export { PRODUCT_ROADMAP_BASE_ID } from './product-roadmap.ts';
export { SALES_CRM_BASE_ID } from './sales-crm.ts';
export { OWNER_USER } from './users.ts';

/**
 * The realistic sample data behind `--seed sample`: a "Sales CRM" base (Companies, Contacts,
 * Deals) and a "Product Roadmap" base (Features, Releases), with stable explicit ids.
 * Deterministic: every call returns a fresh, deep-equal fixture (no clock, no Math.random).
 */
export function sampleFixture(): Fixture {
  return {
    version: 1,
    users: SAMPLE_USERS.map((user) => ({ ...user })),
    bases: [salesCrmBase(), productRoadmapBase()],
  };
}
