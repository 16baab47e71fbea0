import { describe, expect, it } from "vitest";
import { signedGet, uriEncode } from "../../src/plugins/core/s3-connector/sigv4.mjs";
// The core connector plugins' pure parts, imported straight from their packages.
import { links, sitemap, title } from "../../src/plugins/core/web-connector/html.mjs";
import { allowed, parseRobots } from "../../src/plugins/core/web-connector/robots.mjs";

/** AWS's published SigV4 example credentials and instant ("Signature Calculations ... Single Chunk"). */
const AWS_EXAMPLE = {
  endpoint: "https://examplebucket.s3.amazonaws.com",
  region: "us-east-1",
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  now: new Date("2013-05-24T00:00:00Z"),
};
const signature = (h: Record<string, string>) => /Signature=([0-9a-f]{64})$/.exec(h.authorization!)![1];

describe("s3-connector SigV4 signing", () => {
  it("matches AWS's GET Bucket (List Objects) example", async () => {
    const { url, headers } = await signedGet({
      ...AWS_EXAMPLE,
      path: "/",
      query: { prefix: "J", "max-keys": "2" },
    });
    expect(url).toBe("https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J");
    expect(signature(headers)).toBe("34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
    expect(headers.authorization).toContain(
      "Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date,",
    );
    expect(headers["x-amz-date"]).toBe("20130524T000000Z");
  });

  it("matches AWS's GET Bucket Lifecycle example (a query key without a value)", async () => {
    const { headers } = await signedGet({ ...AWS_EXAMPLE, path: "/", query: { lifecycle: "" } });
    expect(signature(headers)).toBe("fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
  });

  it("encodes keys the way S3 canonicalizes them", () => {
    expect(uriEncode("docs/a b+ü.txt", true)).toBe("docs/a%20b%2B%C3%BC.txt");
    expect(uriEncode("a/b")).toBe("a%2Fb");
  });
});

describe("web-connector robots.txt", () => {
  const robots = [
    "User-agent: *",
    "Disallow: /",
    "",
    "User-agent: Googlebot",
    "User-agent: aihub-web-connector # ours",
    "Disallow: /private/",
    "Disallow: /*.pdf$",
    "Allow: /private/press",
    "Disallow: /search?q=",
    "Disallow:",
  ].join("\n");
  const rules = parseRobots(robots);
  const ok = (path: string) => allowed(rules, `http://site.test${path}`);

  it("takes the group naming its own agent over *, longest match winning, Allow on a tie", () => {
    expect(ok("/")).toBe(true);
    expect(ok("/guide.html")).toBe(true);
    expect(ok("/private/x.html")).toBe(false);
    expect(ok("/private/press/release.html")).toBe(true);
    expect(ok("/files/report.pdf")).toBe(false);
    expect(ok("/files/report.pdf.html")).toBe(true);
    expect(ok("/search?q=fog")).toBe(false);
    expect(
      allowed(
        [
          { allow: false, pattern: "/a" },
          { allow: true, pattern: "/a" },
        ],
        "http://s.test/a",
      ),
    ).toBe(true);
  });

  it("falls back to the * group, and an empty file allows everything", () => {
    expect(allowed(parseRobots(robots, "otherbot"), "http://site.test/guide.html")).toBe(false);
    expect(allowed(parseRobots(""), "http://site.test/anything")).toBe(true);
  });
});

describe("web-connector HTML and sitemaps", () => {
  it("resolves links against the page, drops fragments, mail links and other schemes", () => {
    const html = `<title> Home &amp; Away </title><a href="/a.html#top">a</a> <a class=x href='b.html'>b</a>
      <a href=c.html>c</a> <a href="mailto:x@y.z">m</a> <a href="ftp://h/f">f</a> <area href="/d.html">`;
    expect(links(html, "http://site.test/dir/index.html")).toEqual([
      "http://site.test/a.html",
      "http://site.test/dir/b.html",
      "http://site.test/dir/c.html",
      "http://site.test/d.html",
    ]);
    expect(title(html)).toBe("Home & Away");
  });

  it("reads <loc>s and tells a sitemap index from a sitemap", () => {
    expect(sitemap("<urlset><url><loc> http://s.test/?a=1&amp;b=2 </loc></url></urlset>")).toEqual({
      index: false,
      locs: ["http://s.test/?a=1&b=2"],
    });
    expect(
      sitemap("<sitemapindex><sitemap><loc>http://s.test/m.xml</loc></sitemap></sitemapindex>").index,
    ).toBe(true);
  });
});
