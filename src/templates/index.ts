/**
 * The twenty solution templates, checked against the bundle schema once when first read. Imported
 * as JSON modules (not read from disk) so the edge bundle and the compiled build carry them too.
 */

import { type TemplateBundle, TemplateBundleSchema } from "./bundle.js";
import academicPapers from "./bundles/academic-papers.json" with { type: "json" };
import apiDocsAssistant from "./bundles/api-docs-assistant.json" with { type: "json" };
import contractQa from "./bundles/contract-qa.json" with { type: "json" };
import customerSupportFaq from "./bundles/customer-support-faq.json" with { type: "json" };
import ecommerceProductQa from "./bundles/ecommerce-product-qa.json" with { type: "json" };
import employeeOnboarding from "./bundles/employee-onboarding.json" with { type: "json" };
import financialProductFaqZh from "./bundles/financial-product-faq-zh.json" with { type: "json" };
import governmentServicesZh from "./bundles/government-services-zh.json" with { type: "json" };
import hotelRestaurant from "./bundles/hotel-restaurant.json" with { type: "json" };
import hrHandbook from "./bundles/hr-handbook.json" with { type: "json" };
import internalWiki from "./bundles/internal-wiki.json" with { type: "json" };
import itHelpdesk from "./bundles/it-helpdesk.json" with { type: "json" };
import legalCompliance from "./bundles/legal-compliance.json" with { type: "json" };
import medicalClinicFaq from "./bundles/medical-clinic-faq.json" with { type: "json" };
import policyRegulationsZh from "./bundles/policy-regulations-zh.json" with { type: "json" };
import productManuals from "./bundles/product-manuals.json" with { type: "json" };
import realEstateListings from "./bundles/real-estate-listings.json" with { type: "json" };
import saasReleaseNotes from "./bundles/saas-release-notes.json" with { type: "json" };
import salesEnablement from "./bundles/sales-enablement.json" with { type: "json" };
import schoolCourseFaq from "./bundles/school-course-faq.json" with { type: "json" };

export { sampleText, TEMPLATE_CATEGORIES, type TemplateBundle, type TemplateCategory } from "./bundle.js";

const RAW: unknown[] = [
  customerSupportFaq,
  itHelpdesk,
  hrHandbook,
  productManuals,
  apiDocsAssistant,
  contractQa,
  academicPapers,
  internalWiki,
  ecommerceProductQa,
  policyRegulationsZh,
  employeeOnboarding,
  salesEnablement,
  legalCompliance,
  medicalClinicFaq,
  schoolCourseFaq,
  realEstateListings,
  hotelRestaurant,
  saasReleaseNotes,
  governmentServicesZh,
  financialProductFaqZh,
];

let parsed: readonly TemplateBundle[] | null = null;

/** Every bundle, validated; throws naming the bundle and the field when one is malformed. */
export function templateBundles(): readonly TemplateBundle[] {
  if (parsed) return parsed;
  const out = RAW.map((raw, i) => {
    const r = TemplateBundleSchema.safeParse(raw);
    if (!r.success) {
      const id = (raw as { id?: string }).id ?? `#${i}`;
      const issue = r.error.issues[0]!;
      throw new Error(`template bundle ${id}: ${issue.path.join(".")}: ${issue.message}`);
    }
    return r.data;
  });
  const ids = out.map((b) => b.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new Error(`template bundle ${dup} appears twice`);
  parsed = out;
  return parsed;
}
