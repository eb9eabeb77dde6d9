/** Word lists for the Product Roadmap base. */

/** Releases in order. A missing `date` is a release not scheduled yet. */
export const RELEASES: readonly { name: string; version: string; date?: string }[] = [
  { name: 'Aurora', version: 'v1.0.0', date: '2025-02-18' },
  { name: 'Borealis', version: 'v1.1.0', date: '2025-04-29' },
  { name: 'Cirrus', version: 'v1.2.0', date: '2025-07-08' },
  { name: 'Dune', version: 'v2.0.0', date: '2025-09-16' },
  { name: 'Ember', version: 'v2.1.0', date: '2025-11-25' },
  { name: 'Fjord', version: 'v2.2.0', date: '2026-02-10' },
  { name: 'Glacier', version: 'v3.0.0', date: '2026-04-21' },
  { name: 'Harbor', version: 'v3.1.0', date: '2026-11-17' },
  { name: 'Iris', version: 'v3.2.0', date: '2027-01-26' },
  { name: 'Juniper', version: 'v4.0.0' },
];

export const FEATURE_STATUSES = [
  { name: 'Idea', color: 'grayLight2' },
  { name: 'Planned', color: 'blueLight2' },
  { name: 'In progress', color: 'yellowBright' },
  { name: 'In review', color: 'purpleLight1' },
  { name: 'Shipped', color: 'greenBright' },
] as const;

export type FeatureStatus = (typeof FEATURE_STATUSES)[number]['name'];

export const PRIORITIES = [
  { name: 'P0 - Critical', color: 'redBright' },
  { name: 'P1 - High', color: 'orangeBright' },
  { name: 'P2 - Medium', color: 'yellowLight1' },
  { name: 'P3 - Low', color: 'grayLight1' },
] as const;

export const FEATURE_TAGS = [
  { name: 'UX', color: 'pinkLight2' },
  { name: 'Backend', color: 'grayDark1' },
  { name: 'Mobile', color: 'cyanBright' },
  { name: 'Security', color: 'redLight2' },
  { name: 'Performance', color: 'orangeLight1' },
  { name: 'Integrations', color: 'tealLight2' },
  { name: 'Customer request', color: 'purpleBright' },
] as const;

/** Named features that exercise quoting in formulas; the rest are capability × area. */
export const SPECIAL_FEATURES = ['The "Best" Widget', "Users' saved views", "Don't-disturb mode"] as const;

export const CAPABILITIES = [
  'Dark mode',
  'CSV export',
  'Bulk edit',
  'Keyboard shortcuts',
  'Saved filters',
  'Audit log',
  'Two-factor login',
  'Webhooks',
  'Offline mode',
  'Custom fields',
  'Usage dashboard',
  'SAML single sign-on',
  'Slack notifications',
  'PDF reports',
  'Undo history',
  'Drag-and-drop upload',
  'Role-based access',
  'Inline comments',
  'Smart search',
  'Calendar sync',
] as const;

export const AREAS = [
  'for invoices',
  'for projects',
  'in the mobile app',
  'for admins',
  'in reports',
  'for teams',
  'on the dashboard',
] as const;

export const PERSONAS = [
  'an admin',
  'a project manager',
  'a sales rep',
  'an accountant',
  'a new user',
] as const;

export const BENEFITS = [
  'I can finish my work faster',
  'I make fewer mistakes',
  "I don't have to ask support",
  'my team stays in sync',
  'we pass the security audit',
] as const;
