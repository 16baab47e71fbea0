// robots.txt as RFC 9309 reads it: the groups naming our product token (else the `*` groups) apply; of
// their Allow/Disallow rules the longest matching pattern wins, Allow on a tie; `*` matches any run of
// characters and a final `$` anchors the end. An unreachable robots.txt (5xx) disallows everything,
// a missing one (4xx) allows everything.

export const AGENT = "aihub-web-connector";

/** The rules that apply to `agent` in a robots.txt text: [{ allow, pattern }]. */
export function parseRobots(text, agent = AGENT) {
  const groups = [];
  let current = null;
  let lastWasAgent = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, "").trim();
    const m = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const field = m[1].toLowerCase();
    const value = m[2].trim();
    if (field === "user-agent") {
      if (!lastWasAgent) {
        current = { agents: [], rules: [] };
        groups.push(current);
      }
      current.agents.push(value.toLowerCase());
      lastWasAgent = true;
      continue;
    }
    lastWasAgent = false;
    if (!current) continue;
    if (field === "allow" || field === "disallow") {
      // An empty Disallow allows everything: it adds no rule.
      if (value) current.rules.push({ allow: field === "allow", pattern: value });
    }
  }
  const name = agent.toLowerCase();
  const mine = groups.filter((g) => g.agents.includes(name));
  const chosen = mine.length ? mine : groups.filter((g) => g.agents.includes("*"));
  return chosen.flatMap((g) => g.rules);
}

function matches(pattern, path) {
  const anchored = pattern.endsWith("$");
  const body = anchored ? pattern.slice(0, -1) : pattern;
  const re = body
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${re}${anchored ? "$" : ""}`).test(path);
}

/** Whether `rules` let the crawler fetch a URL's path (with its query). */
export function allowed(rules, url) {
  const u = new URL(url);
  let path = u.pathname + u.search;
  try {
    path = decodeURI(path);
  } catch {
    // A malformed escape is matched as written.
  }
  let best = null;
  for (const r of rules) {
    let pattern = r.pattern;
    try {
      pattern = decodeURI(pattern);
    } catch {}
    if (!matches(pattern, path)) continue;
    const len = pattern.length;
    if (!best || len > best.len || (len === best.len && r.allow && !best.allow))
      best = { len, allow: r.allow };
  }
  return best ? best.allow : true;
}

/** The rules for a site: fetched once per origin; `null` rules mean "fetch nothing" (5xx). */
export async function robotsFor(origin, fetchFn) {
  let res;
  try {
    res = await fetchFn(`${origin}/robots.txt`);
  } catch {
    return [{ allow: false, pattern: "/" }];
  }
  if (res.status >= 500) return [{ allow: false, pattern: "/" }];
  if (res.status >= 400) return [];
  return parseRobots(await res.text());
}
