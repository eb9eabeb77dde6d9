/** What a deal is for; deal names are "<Company> - <product>". Some carry quotes and apostrophes. */
export const DEAL_PRODUCTS = [
  'Annual renewal',
  'Enterprise upgrade',
  'Pilot program',
  'Seat expansion',
  'Data migration',
  'Premium support',
  'Analytics add-on',
  'Multi-region rollout',
  'Training package',
  'API access tier',
  '"Fast track" onboarding',
  'Q3 expansion',
  'Platform consolidation',
  'Reseller agreement',
  "Founder's edition licences",
] as const;
