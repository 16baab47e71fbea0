import { type TemplateBundle, templateBundles } from "../../templates/index.js";
import { NotFoundError } from "../errors.js";

/** The catalog: every template, in the order the gallery shows them. */
export function listTemplates(): readonly TemplateBundle[] {
  return templateBundles();
}

export function getTemplate({ input }: { input: { id: string } }): TemplateBundle {
  const found = templateBundles().find((b) => b.id === input.id);
  if (!found) throw new NotFoundError("Template", input.id);
  return found;
}
