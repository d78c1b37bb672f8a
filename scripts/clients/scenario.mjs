// The client scenario, run by masto (from the npm registry) against
// `tusk serve`: accounts, posting with media and polls, timelines with
// pagination, notifications, streaming, search, lists and filters.
// Environment: TUSK_URL, ALICE_TOKEN, BOB_TOKEN. A failed check throws,
// and node exits non-zero.
import { createRestAPIClient, createStreamingAPIClient } from "masto";

const url = process.env.TUSK_URL;
const png = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

function check(cond, what) {
  if (!cond) throw new Error("check failed: " + what);
  console.log("js ok:", what);
}

const alice = createRestAPIClient({ url, accessToken: process.env.ALICE_TOKEN });
const bob = createRestAPIClient({ url, accessToken: process.env.BOB_TOKEN });

// Accounts.
const me = await alice.v1.accounts.verifyCredentials();
check(me.username === "alice", "verifyCredentials");
const upd = await alice.v1.accounts.updateCredentials({ displayName: "Alice from JS" });
check(upd.displayName === "Alice from JS", "updateCredentials");
const found = await bob.v1.accounts.lookup({ acct: "alice" });
check(found.id === me.id, "accounts.lookup");
const rel = await bob.v1.accounts.$select(me.id).follow();
check(rel.following, "follow");
const rels = await bob.v1.accounts.relationships.fetch({ id: [me.id] });
check(rels[0].following, "relationships");

// Streaming over one WebSocket: a subscribe message is not acknowledged,
// so post until the update arrives.
const instance = await bob.v2.instance.fetch();
const streaming = createStreamingAPIClient({
  streamingApiUrl: instance.configuration.urls.streaming,
  accessToken: process.env.BOB_TOKEN,
});
const sub = streaming.user.subscribe();
let streamed = false;
const reader = (async () => {
  for await (const ev of sub) {
    if (ev.event === "update" && ev.payload.content.includes("streamed from js")) {
      streamed = true;
      return;
    }
  }
})();
for (let i = 0; i < 20 && !streamed; i++) {
  await alice.v1.statuses.create({ status: "streamed from js " + i });
  await new Promise((r) => setTimeout(r, 500));
}
sub.unsubscribe();
streaming.close();
check(streamed, "user stream delivers an update");
await Promise.race([reader, new Promise((r) => setTimeout(r, 1000))]);

// Posting with media and a poll.
const media = await alice.v2.media.create({ file: new Blob([png], { type: "image/png" }), description: "a pixel" });
check(media.type === "image" && media.description === "a pixel", "media.create");
const st = await alice.v1.statuses.create({ status: "with a picture", mediaIds: [media.id] });
check(st.mediaAttachments[0].id === media.id, "status with media");
const pst = await alice.v1.statuses.create({ status: "vote?", poll: { options: ["yes", "no"], expiresIn: 3600 } });
const voted = await bob.v1.polls.$select(pst.poll.id).votes.create({ choices: [0] });
check(voted.votesCount === 1 && voted.ownVotes[0] === 0, "poll vote");

// Timelines with pagination.
for (let i = 0; i < 5; i++) await alice.v1.statuses.create({ status: "page item " + i });
const pages = bob.v1.timelines.home.list({ limit: 2 }).values();
const first = (await pages.next()).value;
const second = (await pages.next()).value;
check(first.length === 2 && second.length === 2 && BigInt(second[0].id) < BigInt(first[1].id), "home timeline pages");

// Notifications.
await alice.v1.statuses.create({ status: "@bob hello from js" });
const notes = await bob.v1.notifications.list({ types: ["mention"] });
check(notes.some((n) => n.status.content.includes("hello from js")), "mention notification");

// Search.
const res = await bob.v2.search.list({ q: "alice", type: "accounts" });
check(res.accounts.some((a) => a.id === me.id), "search accounts");

// Lists.
const list = await bob.v1.lists.create({ title: "friends" });
await bob.v1.lists.$select(list.id).accounts.create({ accountIds: [me.id] });
const tl = await bob.v1.timelines.list.$select(list.id).list();
check(tl.length > 0 && tl.every((s) => s.account.id === me.id), "list timeline");

// Filters v2.
const flt = await bob.v2.filters.create({ title: "js", context: ["home"], keywordsAttributes: [{ keyword: "js-filtered" }] });
check((await bob.v2.filters.list()).some((f) => f.id === flt.id), "filters.create");
await bob.v2.filters.$select(flt.id).remove();
check(!(await bob.v2.filters.list()).some((f) => f.id === flt.id), "filters.remove");

console.log("js: scenario passed");
