/**
 * What the answer-quality work of issue 18 changed in the extractive answerer, on real sentences: the
 * passages are from XQuAD (English Wikipedia, via SQuAD) and CMRC 2018 dev (Chinese Wikipedia), both
 * CC BY-SA 4.0 (see /work/shared/data/*\/SOURCE.txt), cut to a few sentences each.
 */
import { describe, expect, it } from "vitest";
import { extractiveDecision, leadingHanName, missingName } from "../../src/models/extractive/answer.js";
import { splitSentences, termList } from "../../src/models/extractive/sentences.js";

const panthers = {
  n: 1,
  title: "Super Bowl 50",
  text:
    "The Panthers defense gave up just 308 points, ranking sixth in the league, while also leading the NFL " +
    "in interceptions with 24 and boasting four Pro Bowl selections. Pro Bowl defensive tackle Kawann Short " +
    "led the team in sacks with 11, while also forcing three fumbles and recovering two.",
};
const huguenots = {
  n: 1,
  title: "Huguenot",
  text:
    "The last Prime Minister of the (East) German Democratic Republic, Lothar de Maizière, is also a " +
    "descendant of a Huguenot family, as is the German Federal Minister of the Interior, Thomas de Maizière.",
};
const fish = {
  n: 1,
  title: "黑褐新箭雀鲷",
  text:
    "黑褐新箭雀鲷，又称黑褐副雀鲷、拟黑雀鲷，俗名为厚壳仔，为辐鳍鱼纲鲈形目隆头鱼亚目雀鲷科的其中一种。" +
    "本鱼分布于印度西太平洋区，包括安达曼海、台湾、日本、越南、马来西亚、菲律宾、印尼等海域。水深2至23公尺。" +
    "本鱼体呈椭圆形而侧扁，幼鱼时体色鲜黄色，有二条黑色纵带。",
};
const wangShen = {
  n: 1,
  title: "王沈",
  text:
    "王沈，字处道，太原晋阳人。能写文章，大将军曹爽聘为秘书（掾），累迁中书门下侍郎，魏正始十年（249年），" +
    "曹爽被司马懿杀害，王沈被免职，起用为侍中。",
};
const competence = {
  n: 1,
  title: "工作能力",
  text:
    "胜任力（英语：Competence）是指某个个人能够恰如其分地完成某项工作的能力。" +
    "“胜任力”这个词第一次正式出现是在1959年的一篇文章中，作者White将其定义为一个与绩效激励相关的概念。" +
    "1970年，Lundberg又在他的文章中定义了这个概念。",
};

describe("extractive answerer: names the sources spell differently", () => {
  it("does not take a possessive, an accent or a space for a missing name", () => {
    const q = "How many 2015 season interceptions did the Panthers' defense get?";
    expect(missingName(q, [panthers])).toBe(false);
    const r = extractiveDecision(q, [panthers]);
    expect(r.answerable).toBe(true);
    expect(r.text).toContain("interceptions with 24");
    expect(missingName("Thomas de Maiziere serves what role in the German cabinet?", [huguenots])).toBe(
      false,
    );
    expect(missingName("Who sang the anthem at Superbowl 50?", [panthers])).toBe(false);
    expect(missingName("What Chinese-like titles did the Panthers' players get?", [panthers])).toBe(true);
    expect(missingName("Who coached the Broncos in 2015?", [panthers])).toBe(true);
  });

  it("reads the name a Chinese question opens with, and misses it when no source has it", () => {
    expect(leadingHanName("于乐的职业是什么？")).toBe("于乐");
    expect(leadingHanName("2013年于乐状态有了什么变化？")).toBe("于乐");
    expect(leadingHanName("他司职什么位置？")).toBeNull();
    expect(leadingHanName("《战国无双3》是由哪两个公司合作开发的？")).toBeNull();
    expect(missingName("王沈的字是什么？", [wangShen])).toBe(false);
    expect(missingName("于乐的职业是什么？", [wangShen])).toBe(true);
    // An English question is never held to the Chinese rule.
    expect(missingName("What is 王沈's courtesy name?", [fish])).toBe(false);
  });
});

describe("extractive answerer: terms and sentences", () => {
  it("splits Chinese terms at particles and matches number words with digits", () => {
    const t = termList("黑褐新箭雀鲷生活在水深多少的海域？");
    expect(t).toEqual(expect.arrayContaining(["生活", "水深", "海域"]));
    expect(t).not.toContain("在水");
    expect(t).not.toContain("的海");
    expect(termList("王沈的字是什么？")).toEqual(["王沈", "字"]);
    expect(termList("five sacks in nine games")).toEqual(termList("5 sacks in 9 games"));
  });

  it("keeps short Chinese answers, bracketed semicolons and closing quotes in whole sentences", () => {
    expect(splitSentences("雄鹿肩高132厘米。水深2至23公尺。")).toEqual([
      "雄鹿肩高132厘米。",
      "水深2至23公尺。",
    ]);
    expect(splitSentences("他问：「这是什么东西？」众人都没有回答他。")).toEqual([
      "他问：「这是什么东西？」",
      "众人都没有回答他。",
    ]);
    expect(splitSentences("伊维卡·奥利奇（克罗地亚语；1979年出生）是克罗地亚足球运动员。")).toEqual([
      "伊维卡·奥利奇（克罗地亚语；1979年出生）是克罗地亚足球运动员。",
    ]);
    expect(splitSentences("《战国无双3》是由光荣和ω-force开发的游戏。本作以三大故事为主轴。")).toEqual([
      "《战国无双3》是由光荣和ω-force开发的游戏。",
      "本作以三大故事为主轴。",
    ]);
  });
});

describe("extractive answerer: answer shapes", () => {
  it("quotes the short sentence that gives a depth, not the one that names the fish", () => {
    const r = extractiveDecision("黑褐新箭雀鲷生活在水深多少的海域？", [fish]);
    expect(r.answerable).toBe(true);
    expect(r.chosen.map((c) => c.text)).toContain("水深2至23公尺。");
    expect(r.text).toContain("水深2至23公尺。");
  });

  it("answers a courtesy-name question from 'X，字Y'", () => {
    const r = extractiveDecision("王沈的字是什么？", [wangShen]);
    expect(r.answerable).toBe(true);
    expect(r.chosen[0]!.text).toBe("王沈，字处道，太原晋阳人。");
  });

  it("answers 'X的定义是什么' with the sentence that defines X, a gloss in brackets between", () => {
    const r = extractiveDecision("胜任力的定义是什么？", [competence]);
    expect(r.answerable).toBe(true);
    expect(r.chosen[0]!.text).toBe(
      "胜任力（英语：Competence）是指某个个人能够恰如其分地完成某项工作的能力。",
    );
  });
});
