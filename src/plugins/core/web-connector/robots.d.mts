// Types for the host's tests; the plugin itself is plain JavaScript and ships without this file.
export interface RobotsRule {
  allow: boolean;
  pattern: string;
}
export const AGENT: string;
export function parseRobots(text: string, agent?: string): RobotsRule[];
export function allowed(rules: RobotsRule[], url: string): boolean;
