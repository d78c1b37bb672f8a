// The interop scenario for masto (npm, pinned in package.json).
//
// Run by scripts/interop.sh against a fresh `tusk serve`; it reads the
// server's URL and the tokens of alice, bob and carol from INTEROP_*
// variables. Each step checks what the server answered and says what it
// expected when a check fails.
import assert from "node:assert/strict";
import { createRestAPIClient, createStreamingAPIClient } from "masto";

const WAIT = 10_000; // ms any single wait may take
const url = process.env.INTEROP_URL;
const token = (who) => process.env[`INTEROP_${who.toUpperCase()}_TOKEN`];
const rest = (who) =>
  createRestAPIClient({ url, accessToken: token(who), timeout: WAIT });

// A 2×2 PNG, so the upload needs no file beside the script.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGNocFAAIgYIBQAaDgOBnA45xwAAAABJRU5ErkJggg==",
  "base64",
);

const ids = (xs) => xs.map((x) => x.id);
const c = { alice: rest("alice"), bob: rest("bob"), carol: rest("carol") };
const s = {}; // what earlier steps made

// firstPages returns the first n pages of a paginated list.
async function firstPages(paginator, n) {
  const it = paginator[Symbol.asyncIterator]();
  const pages = [];
  for (let i = 0; i < n; i++) {
    const { value, done } = await it.next();
    if (done) break;
    pages.push(value);
  }
  return pages;
}

function withTimeout(promise, what) {
  let timer;
  const t = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${WAIT} ms: ${what}`)), WAIT);
  });
  return Promise.race([promise, t]).finally(() => clearTimeout(timer));
}

const steps = {
  async accounts() {
    for (const who of ["alice", "bob", "carol"]) {
      const me = await c[who].v1.accounts.verifyCredentials();
      assert.equal(me.username, who, `verifyCredentials of ${who} answers its own account`);
      s[who] = me.id;
    }
    const found = await c.alice.v1.accounts.search.list({ q: "bob" });
    assert.ok(ids(found).includes(s.bob), "accounts.search finds bob");
    const rel = await c.alice.v1.accounts.$select(s.bob).follow();
    assert.equal(rel.following, true, "alice follows bob");
    await c.bob.v1.accounts.$select(s.alice).follow();
    const [r] = await c.alice.v1.accounts.relationships.fetch({ id: [s.bob] });
    assert.ok(r.following && r.followedBy, "alice and bob follow each other");
  },

  async postMediaAndPoll() {
    const media = await c.alice.v2.media.create({
      file: new Blob([PNG], { type: "image/png" }),
      description: "four pixels",
    });
    assert.equal(media.type, "image", "uploaded PNG is an image attachment");
    assert.equal(media.description, "four pixels", "media description kept");
    assert.ok(media.url, "uploaded media has a URL (processed synchronously)");
    const st = await c.alice.v1.statuses.create({
      status: "a picture from masto #interop",
      mediaIds: [media.id],
      visibility: "public",
    });
    assert.deepEqual(ids(st.mediaAttachments), [media.id], "status carries the uploaded media");
    assert.ok(st.tags.some((t) => t.name === "interop"), "hashtag #interop parsed");
    s.media = st;

    const poll = await c.alice.v1.statuses.create({
      status: "which one?",
      poll: { options: ["tea", "coffee", "water"], expiresIn: 3600, multiple: true },
    });
    assert.deepEqual(poll.poll.options.map((o) => o.title), ["tea", "coffee", "water"], "poll options in order");
    assert.equal(poll.poll.multiple, true, "poll is multiple-choice");
    const voted = await c.bob.v1.polls.$select(poll.poll.id).votes.create({ choices: [0, 2] });
    assert.equal(voted.voted, true, "bob has voted");
    assert.deepEqual(voted.ownVotes, [0, 2], "bob's choices recorded");
    assert.deepEqual(voted.options.map((o) => o.votesCount), [1, 0, 1], "votes counted per option");
    assert.equal(voted.votersCount, 1, "one voter");
    s.poll = poll;
  },

  async timelines() {
    const posted = [];
    for (let i = 0; i < 5; i++) {
      posted.push((await c.bob.v1.statuses.create({ status: `bob's post ${i}`, visibility: "public" })).id);
    }
    const newest = [...posted].reverse();
    const [p1, p2, p3] = await firstPages(c.alice.v1.timelines.home.list({ limit: 3 }), 3);
    assert.deepEqual(ids(p1), newest.slice(0, 3), "home page 1 (limit 3), newest first");
    assert.deepEqual(ids(p2), [...newest.slice(3), s.poll.id], "home page 2 follows the Link header");
    assert.deepEqual(ids(p3 ?? []).slice(0, 1), [s.media.id], "home page 3");
    const pub = await firstPages(c.alice.v1.timelines.public.list({ limit: 2 }), 2);
    assert.deepEqual(pub.map(ids), [newest.slice(0, 2), newest.slice(2, 4)], "public timeline pages");
    const first = await c.alice.v1.timelines.public.list({ limit: 2 });
    assert.deepEqual(ids(first), newest.slice(0, 2), "awaiting a paginator gives the first page");
    const tag = await c.alice.v1.timelines.tag.$select("interop").list();
    assert.deepEqual(ids(tag), [s.media.id], "hashtag timeline has the #interop status");
  },

  async interactions() {
    const id = s.media.id;
    const fav = await c.bob.v1.statuses.$select(id).favourite();
    assert.ok(fav.favourited && fav.favouritesCount === 1, "bob favourited alice's status");
    const rb = await c.bob.v1.statuses.$select(id).reblog();
    assert.equal(rb.reblog?.id, id, "reblog wraps the original");
    assert.ok(rb.reblog.reblogged && rb.reblog.reblogsCount === 1, "original counts the reblog");
    const favBy = await c.alice.v1.statuses.$select(id).favouritedBy.list();
    assert.deepEqual(ids(favBy), [s.bob], "favourited_by lists bob");
    const rbBy = await c.alice.v1.statuses.$select(id).rebloggedBy.list();
    assert.deepEqual(ids(rbBy), [s.bob], "reblogged_by lists bob");
    const seen = await c.alice.v1.statuses.$select(id).fetch();
    assert.ok(seen.favouritesCount === 1 && seen.reblogsCount === 1, "alice sees the counts");
  },

  async notifications() {
    const st = await c.carol.v1.statuses.create({ status: "@alice hello from carol", visibility: "public" });
    assert.deepEqual(st.mentions.map((m) => m.id), [s.alice], "carol's status mentions alice");
    const mentions = await c.alice.v1.notifications.list({ types: ["mention"] });
    const n = mentions.find((x) => x.status?.id === st.id);
    assert.ok(n, "alice has a mention notification for carol's status");
    assert.equal(n.account.id, s.carol, "the mention is from carol");
    const all = await c.alice.v1.notifications.list();
    const types = new Set(all.map((x) => x.type));
    for (const t of ["mention", "favourite", "reblog", "follow"]) {
      assert.ok(types.has(t), `alice has a ${t} notification (has ${[...types]})`);
    }
    const grouped = await c.alice.v2.notifications.list({ types: ["favourite"] });
    assert.equal(grouped.notificationGroups.length, 1, "one favourite group in grouped notifications");
    assert.deepEqual(grouped.notificationGroups[0].sampleAccountIds, [s.bob], "the group samples bob");
    await c.alice.v1.notifications.$select(n.id).dismiss();
    const left = await c.alice.v1.notifications.list({ types: ["mention"] });
    assert.ok(!ids(left).includes(n.id), "a dismissed notification is gone");
  },

  async search() {
    const acc = await c.alice.v2.search.list({ q: "carol", type: "accounts" });
    assert.ok(ids(acc.accounts).includes(s.carol), "search finds carol's account");
    const tags = await c.alice.v2.search.list({ q: "#interop", type: "hashtags" });
    assert.ok(tags.hashtags.some((h) => h.name === "interop"), "search finds the #interop hashtag");
    const sts = await c.alice.v2.search.list({ q: "picture", type: "statuses" });
    assert.ok(ids(sts.statuses).includes(s.media.id), "search finds alice's status by a word");
  },

  async lists() {
    const list = await c.alice.v1.lists.create({ title: "interop friends", repliesPolicy: "list" });
    assert.equal(list.title, "interop friends", "list created with its title");
    await c.alice.v1.lists.$select(list.id).accounts.create({ accountIds: [s.bob] });
    const members = await c.alice.v1.lists.$select(list.id).accounts.list();
    assert.deepEqual(ids(members), [s.bob], "bob is the list's only member");
    const st = await c.bob.v1.statuses.create({ status: "for the list", visibility: "public" });
    const tl = await c.alice.v1.timelines.list.$select(list.id).list();
    assert.equal(tl[0]?.id, st.id, "list timeline starts with bob's newest status");
    assert.ok(tl.every((x) => x.account.id === s.bob), "list timeline holds only bob's statuses");
    await c.alice.v1.lists.$select(list.id).remove();
    const lists = await c.alice.v1.lists.list();
    assert.ok(!ids(lists).includes(list.id), "list deleted");
  },

  async filters() {
    const f = await c.alice.v2.filters.create({
      title: "no spoilers",
      context: ["home", "public"],
      filterAction: "warn",
      keywordsAttributes: [{ keyword: "spoilers", wholeWord: true }],
    });
    assert.equal(f.title, "no spoilers", "v2 filter created");
    assert.deepEqual(f.keywords.map((k) => k.keyword), ["spoilers"], "filter keyword kept");
    const hit = await c.bob.v1.statuses.create({ status: "big spoilers ahead", visibility: "public" });
    const miss = await c.bob.v1.statuses.create({ status: "nothing to see", visibility: "public" });
    const home = await c.alice.v1.timelines.home.list({ limit: 5 });
    const byId = Object.fromEntries(home.map((x) => [x.id, x]));
    assert.ok(byId[hit.id], "a warned status stays in home");
    const results = byId[hit.id].filtered ?? [];
    assert.equal(results.length, 1, "the matching status carries one filter result");
    assert.equal(results[0].filter.id, f.id, "the result names the filter");
    assert.deepEqual(results[0].keywordMatches, ["spoilers"], "the result names the keyword");
    assert.ok(!byId[miss.id]?.filtered?.length, "an unmatched status has no filter result");
    const kw = await c.alice.v2.filters.$select(f.id).keywords.create({ keyword: "dragons" });
    const got = await c.alice.v2.filters.$select(f.id).fetch();
    assert.deepEqual(got.keywords.map((k) => k.keyword).sort(), ["dragons", "spoilers"], "keyword added");
    assert.ok(got.keywords.some((k) => k.id === kw.id), "the added keyword has its id");
    await c.alice.v2.filters.$select(f.id).remove();
    assert.ok(!ids(await c.alice.v2.filters.list()).includes(f.id), "filter deleted");
  },

  async streaming() {
    const instance = await c.alice.v2.instance.fetch();
    const streamingApiUrl = instance.configuration.urls.streaming;
    assert.match(streamingApiUrl, /^wss?:\/\//, "instance names a WebSocket streaming URL");
    const ws = createStreamingAPIClient({ streamingApiUrl, accessToken: token("alice"), retry: false });
    try {
      const events = ws.user.subscribe()[Symbol.asyncIterator]();
      const next = () => withTimeout(events.next(), "a user stream event");
      // Mastodon does not acknowledge a subscribe: alice posts probes until
      // her own stream echoes one, then the subscription is live.
      let live = false;
      let pending = next();
      for (let i = 0; i < 20 && !live; i++) {
        await c.alice.v1.statuses.create({ status: `probe ${i}`, visibility: "private" });
        const got = await Promise.race([pending, new Promise((r) => setTimeout(() => r(null), 250))]);
        if (got) {
          assert.equal(got.value?.event, "update", "the first event is a probe's update");
          live = true;
          pending = null;
        }
      }
      assert.ok(live, "the user stream delivered alice's own status (subscribe took effect)");
      // Drain the other probes' updates, then expect bob's status.
      const st = await c.bob.v1.statuses.create({ status: "live for alice", visibility: "public" });
      let ev;
      do {
        ev = (await next()).value;
      } while (ev.event === "update" && ev.payload.content.includes("probe"));
      assert.equal(ev.event, "update", "an update event follows");
      assert.equal(ev.payload.id, st.id, "the update is bob's status");
      assert.equal(ev.payload.account.id, s.bob, "streamed status decoded with its account");
      await c.bob.v1.statuses.$select(s.poll.id).favourite();
      ev = (await next()).value;
      assert.equal(ev.event, "notification", "a notification event follows bob's favourite");
      assert.equal(ev.payload.type, "favourite", "it is a favourite notification");
      assert.equal(ev.payload.account.id, s.bob, "from bob");
    } finally {
      ws.close();
    }
  },
};

let failed = 0;
for (const [name, step] of Object.entries(steps)) {
  try {
    await step();
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e.message}`);
    if (process.env.INTEROP_DEBUG) console.log(e.stack);
  }
}
const total = Object.keys(steps).length;
if (failed) {
  console.log(`masto scenario: ${failed} of ${total} steps failed`);
  process.exit(1);
}
console.log(`masto scenario: all ${total} steps passed`);
process.exit(0);
