import type { DesiredItem } from '../model/desired.js';

// The typed warnings translation leaves on items (a description cut to Kakao's 5,000 characters,
// a recurrence expanded, a limit reached) as lines of the link's run result, which `talkcal users
// show` and the status API report. One line per warning code, so a feed of 20,000 items costs
// at most a line per code: how many items, and the first one as an example.

export class TranslateWarningSummary {
  private readonly byCode = new Map<string, { items: number; example: string }>();

  add(item: DesiredItem): void {
    const seen = new Set<string>();
    for (const w of item.warnings) {
      if (seen.has(w.code)) continue;
      seen.add(w.code);
      const entry = this.byCode.get(w.code);
      if (entry) entry.items++;
      else this.byCode.set(w.code, { items: 1, example: `${item.sourceKey}: ${w.message}` });
    }
  }

  lines(): string[] {
    return [...this.byCode].map(
      ([code, { items, example }]) =>
        `${code}: ${items} item${items === 1 ? '' : 's'} (e.g. ${example.length > 300 ? `${example.slice(0, 300)}…` : example})`,
    );
  }
}
