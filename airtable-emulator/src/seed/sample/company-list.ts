/**
 * The sample's companies: fictional names (several from the well-known Microsoft samples),
 * with a web domain for websites and e-mail addresses. `industry`/`country` are sometimes
 * missing on purpose, to give blank cells.
 */
export interface CompanySpec {
  name: string;
  domain: string;
  industry?: string;
  country?: string;
}

export const INDUSTRIES = [
  { name: 'Software', color: 'blueLight2' },
  { name: 'Retail', color: 'orangeLight2' },
  { name: 'Manufacturing', color: 'grayLight2' },
  { name: 'Finance', color: 'greenBright' },
  { name: 'Healthcare', color: 'redLight1' },
  { name: 'Logistics', color: 'yellowLight2' },
  { name: 'Education', color: 'purpleLight2' },
  { name: 'Hospitality', color: 'pinkLight2' },
  { name: 'Media', color: 'cyanLight2' },
  { name: 'Energy', color: 'tealDark1' },
] as const;

export const COMPANIES: readonly CompanySpec[] = [
  { name: 'Northwind Traders', domain: 'northwindtraders.com', industry: 'Retail', country: 'United States' },
  { name: 'Contoso Ltd', domain: 'contoso.com', industry: 'Software', country: 'United States' },
  { name: 'Fabrikam Inc', domain: 'fabrikam.com', industry: 'Manufacturing', country: 'Canada' },
  { name: 'Adventure Works', domain: 'adventure-works.com', industry: 'Retail', country: 'United States' },
  {
    name: 'Wide World Importers',
    domain: 'wideworldimporters.com',
    industry: 'Logistics',
    country: 'United Kingdom',
  },
  { name: 'Tailspin Toys', domain: 'tailspintoys.com', industry: 'Retail', country: 'Australia' },
  { name: 'Litware Inc', domain: 'litwareinc.com', industry: 'Software', country: 'Germany' },
  { name: 'Proseware', domain: 'proseware.com', industry: 'Software', country: 'Ireland' },
  { name: 'Woodgrove Bank', domain: 'woodgrovebank.com', industry: 'Finance', country: 'United Kingdom' },
  { name: 'Alpine Ski House', domain: 'alpineskihouse.com', industry: 'Hospitality', country: 'Switzerland' },
  {
    name: 'Blue Yonder Airlines',
    domain: 'blueyonderairlines.com',
    industry: 'Logistics',
    country: 'Netherlands',
  },
  { name: 'Coho Winery', domain: 'cohowinery.com', industry: 'Hospitality', country: 'France' },
  { name: 'Fourth Coffee', domain: 'fourthcoffee.com', industry: 'Hospitality', country: 'United States' },
  {
    name: 'Humongous Insurance',
    domain: 'humongousinsurance.com',
    industry: 'Finance',
    country: 'United States',
  },
  { name: 'Lucerne Publishing', domain: 'lucernepublishing.com', industry: 'Media', country: 'Switzerland' },
  { name: "Margie's Travel", domain: 'margiestravel.com', industry: 'Hospitality', country: 'Spain' },
  { name: 'Trey Research', domain: 'treyresearch.net', industry: 'Healthcare', country: 'United States' },
  { name: 'Wingtip Toys', domain: 'wingtiptoys.com', industry: 'Retail', country: 'Canada' },
  {
    name: 'Consolidated Messenger',
    domain: 'consolidatedmessenger.com',
    industry: 'Logistics',
    country: 'United States',
  },
  { name: 'City Power & Light', domain: 'cpandl.com', industry: 'Energy', country: 'United States' },
  { name: 'Southridge Video', domain: 'southridgevideo.com', industry: 'Media', country: 'United Kingdom' },
  { name: 'VanArsdel Ltd', domain: 'vanarsdelltd.com', industry: 'Manufacturing', country: 'Netherlands' },
  { name: 'Relecloud', domain: 'relecloud.com', industry: 'Software', country: 'Sweden' },
  { name: 'Lamna Healthcare', domain: 'lamnahealthcare.com', industry: 'Healthcare', country: 'Germany' },
  { name: 'Bellows College', domain: 'bellowscollege.edu', industry: 'Education', country: 'United States' },
  { name: 'A. Datum Corporation', domain: 'adatum.com', industry: 'Software', country: 'Japan' },
  {
    name: 'Graphic Design Institute',
    domain: 'graphicdesigninstitute.com',
    industry: 'Education',
    country: 'Canada',
  },
  { name: 'Nod Publishers', domain: 'nodpublishers.com', industry: 'Media', country: 'Ireland' },
  {
    name: 'Best For You Organics',
    domain: 'bestforyouorganics.com',
    industry: 'Retail',
    country: 'United States',
  },
  { name: "O'Reilly Freight", domain: 'oreillyfreight.com', industry: 'Logistics', country: 'Ireland' },
  {
    name: 'The "Best" Widget Co.',
    domain: 'bestwidget.co',
    industry: 'Manufacturing',
    country: 'United States',
  },
  { name: "Munson's Pickles and Preserves Farm", domain: 'munsonspickles.com', industry: 'Retail' },
  {
    name: "Liberty's Delightful Sinful Bakery & Cafe",
    domain: 'libertysbakery.com',
    industry: 'Hospitality',
    country: 'United States',
  },
  { name: 'Boreal Robotics', domain: 'borealrobotics.io', industry: 'Manufacturing', country: 'Finland' },
  { name: 'Kestrel Analytics', domain: 'kestrelanalytics.io', industry: 'Software', country: 'India' },
  { name: 'Harbor & Hale Legal', domain: 'harborhale.com', country: 'United Kingdom' },
  { name: 'Sunfield Energy', domain: 'sunfieldenergy.com', industry: 'Energy', country: 'Brazil' },
  { name: 'Quillpoint Media', domain: 'quillpoint.com', industry: 'Media', country: 'France' },
  {
    name: 'Meridian Health Partners',
    domain: 'meridianhp.org',
    industry: 'Healthcare',
    country: 'Australia',
  },
  { name: 'Tidewater Logistics', domain: 'tidewaterlogistics.com', industry: 'Logistics' },
];

/** Free-text notes for companies; `\n` separates lines in multilineText. */
export const COMPANY_NOTES = [
  'Met at SaaStr 2025.\nInterested in the annual plan.',
  'Procurement requires a security review before signing.',
  "CFO's assistant handles invoices — send them to accounts payable, not to the champion.",
  'Referred by an existing customer.\nAsked about volume discounts.',
  'Uses a competitor today; contract ends in Q4.',
  'Prefers e-mail over calls. Time zone: CET.',
  'Said our product is "exactly what we needed" during the demo.',
  'Budget frozen until next fiscal year.',
] as const;
