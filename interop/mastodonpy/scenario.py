"""The interop scenario for Mastodon.py (Debian's python3-mastodon, 1.8).

Run by scripts/interop.sh against a fresh `tusk serve`; it reads the server's
URL and the tokens of alice, bob and carol from INTEROP_* variables. Each step
checks what the server answered; the first failed check ends the run with a
message saying which step and what was expected.
"""

import os
import struct
import sys
import threading
import time
import traceback
import zlib

from mastodon import Mastodon, StreamListener

WAIT = 10  # seconds any single wait may take


class ScenarioError(Exception):
    pass


def check(cond, what, got=None):
    if not cond:
        raise ScenarioError(what + ("" if got is None else " (got %r)" % (got,)))


def png(width, height):
    """A small valid PNG, so the upload needs no file beside the script."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    raw = b"".join(b"\x00" + b"\x80\x40\x20" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def client(who):
    return Mastodon(access_token=os.environ["INTEROP_%s_TOKEN" % who.upper()],
                    api_base_url=os.environ["INTEROP_URL"], request_timeout=WAIT)


def ids(items):
    return [x["id"] for x in items]


def step_accounts(c):
    for who in ("alice", "bob", "carol"):
        me = c[who].me()
        check(me["username"] == who, "verify_credentials of %s answers its own account" % who, me["username"])
        c[who + "_id"] = me["id"]
    found = c["alice"].account_search("bob")
    check(c["bob_id"] in ids(found), "account_search('bob') finds bob", ids(found))
    rel = c["alice"].account_follow(c["bob_id"])
    check(rel["following"], "alice follows bob", rel)
    rel = c["bob"].account_follow(c["alice_id"])
    check(rel["following"], "bob follows alice", rel)
    rels = c["alice"].account_relationships([c["bob_id"]])
    check(rels[0]["following"] and rels[0]["followed_by"], "alice and bob follow each other", rels)


def step_post_media_and_poll(c):
    a = c["alice"]
    media = a.media_post(png(4, 3), mime_type="image/png", file_name="pixel.png",
                         description="three rows of four pixels")
    check(media["type"] == "image", "uploaded PNG is an image attachment", media["type"])
    check(media["description"] == "three rows of four pixels", "media description kept", media["description"])
    check(media["url"], "uploaded media has a URL", media)
    st = a.status_post("a picture from Mastodon.py #interop", media_ids=[media["id"]], visibility="public")
    check([m["id"] for m in st["media_attachments"]] == [media["id"]], "status carries the uploaded media",
          st["media_attachments"])
    check("interop" in [t["name"] for t in st["tags"]], "hashtag #interop parsed", st["tags"])
    check(st["account"]["id"] == c["alice_id"], "status is alice's", st["account"]["id"])
    c["media_status"] = st

    poll = a.make_poll(["tea", "coffee", "water"], expires_in=3600, multiple=False)
    st = a.status_post("which one?", poll=poll)
    p = st["poll"]
    check(p is not None, "status has a poll")
    check([o["title"] for o in p["options"]] == ["tea", "coffee", "water"], "poll options in order", p["options"])
    check(not p["multiple"] and not p["expired"], "poll is single-choice and open", p)
    c["bob"].poll_vote(p["id"], [1])  # 1.8.0's poll_vote drops the answer: read it back
    voted = c["bob"].poll(p["id"])
    check(voted["voted"] and voted["own_votes"] == [1], "bob's vote recorded", voted)
    check(voted["options"][1]["votes_count"] == 1 and voted["votes_count"] == 1, "vote counted", voted)
    again = a.poll(p["id"])
    check(again["votes_count"] == 1, "alice sees one vote", again)
    c["poll_status"] = st


def step_timelines(c):
    a, b = c["alice"], c["bob"]
    posted = [b.status_post("bob's post number %d" % i, visibility="public")["id"] for i in range(5)]
    home = a.timeline_home(limit=3)
    check(len(home) == 3, "home timeline honours limit=3", len(home))
    check(ids(home) == list(reversed(posted))[:3], "home timeline is newest first", ids(home))
    nxt = a.fetch_next(home)
    check(nxt is not None and len(nxt) > 0, "home timeline has a next page (Link header)")
    check(ids(nxt)[:2] == list(reversed(posted))[3:], "next page continues where the first ended", ids(nxt))
    check(not set(ids(home)) & set(ids(nxt)), "pages do not overlap", (ids(home), ids(nxt)))
    check(ids(nxt)[2:3] == [c["poll_status"]["id"]], "alice's own newest status follows bob's", ids(nxt))
    third = a.fetch_next(nxt)
    check(third is not None and ids(third)[:1] == [c["media_status"]["id"]], "third page continues", third)

    pub = a.timeline_public(limit=2)
    check(ids(pub) == list(reversed(posted))[:2], "public timeline first page", ids(pub))
    pub2 = a.fetch_next(pub)
    check(pub2 is not None and ids(pub2)[0] == posted[2], "public timeline next page", pub2 and ids(pub2))
    prev = a.fetch_previous(pub2)
    check(prev is not None and ids(prev) == ids(pub), "previous page of page 2 is page 1", prev and ids(prev))
    local = a.timeline_local(limit=40)
    check(set(posted) <= set(ids(local)), "local timeline has bob's posts", ids(local))
    tag = a.timeline_hashtag("interop")
    check(ids(tag) == [c["media_status"]["id"]], "hashtag timeline has the #interop status", ids(tag))


def step_interactions(c):
    a, b = c["alice"], c["bob"]
    sid = c["media_status"]["id"]
    fav = b.status_favourite(sid)
    check(fav["favourited"] and fav["favourites_count"] == 1, "bob favourited alice's status", fav)
    rb = b.status_reblog(sid)
    check(rb["reblog"] is not None and rb["reblog"]["id"] == sid, "reblog wraps the original", rb)
    check(rb["reblog"]["reblogged"] and rb["reblog"]["reblogs_count"] == 1, "original counts the reblog", rb["reblog"])
    who = a.status_favourited_by(sid)
    check(ids(who) == [c["bob_id"]], "favourited_by lists bob", ids(who))
    who = a.status_reblogged_by(sid)
    check(ids(who) == [c["bob_id"]], "reblogged_by lists bob", ids(who))
    un = b.status_unfavourite(sid)
    check(not un["favourited"] and un["favourites_count"] == 0, "unfavourite undoes it", un)
    b.status_favourite(sid)
    favs = b.favourites()
    check(sid in ids(favs), "bob's favourites list the status", ids(favs))


def step_notifications(c):
    a, carol = c["alice"], c["carol"]
    st = carol.status_post("@alice hello from carol", visibility="public")
    check(c["alice_id"] in [m["id"] for m in st["mentions"]], "carol's status mentions alice", st["mentions"])
    notes = a.notifications(types=["mention"])
    mention = [n for n in notes if n["status"] and n["status"]["id"] == st["id"]]
    check(len(mention) == 1, "alice has one mention notification for carol's status", ids(notes))
    check(mention[0]["type"] == "mention" and mention[0]["account"]["id"] == c["carol_id"],
          "mention notification is from carol", mention[0])
    everything = a.notifications()
    types = {n["type"] for n in everything}
    for t in ("mention", "favourite", "reblog", "follow"):
        check(t in types, "alice has a %s notification" % t, sorted(types))
    one = a.notifications(id=mention[0]["id"])
    check(one["id"] == mention[0]["id"], "a single notification by id", one)
    a.notifications_dismiss(mention[0]["id"])
    left = a.notifications(types=["mention"])
    check(mention[0]["id"] not in ids(left), "a dismissed notification is gone", ids(left))


def step_search(c):
    a = c["alice"]
    res = a.search_v2("carol", result_type="accounts")
    check(c["carol_id"] in ids(res["accounts"]), "search finds carol's account", ids(res["accounts"]))
    res = a.search_v2("#interop", result_type="hashtags")
    check("interop" in [h["name"] for h in res["hashtags"]], "search finds the #interop hashtag", res["hashtags"])
    res = a.search_v2("picture", result_type="statuses")
    check(c["media_status"]["id"] in ids(res["statuses"]), "search finds alice's status by a word", ids(res["statuses"]))


def step_lists(c):
    a, b = c["alice"], c["bob"]
    lst = a.list_create("interop friends")
    check(lst["title"] == "interop friends", "list created with its title", lst)
    a.list_accounts_add(lst["id"], [c["bob_id"]])
    members = a.list_accounts(lst["id"])
    check(ids(members) == [c["bob_id"]], "bob is the list's only member", ids(members))
    check(lst["id"] in ids(a.lists()), "alice's lists include it")
    check(lst["id"] in ids(a.account_lists(c["bob_id"])), "bob's account is on the list")
    st = b.status_post("for the list", visibility="public")
    tl = a.timeline_list(lst["id"])
    check(tl and tl[0]["id"] == st["id"], "list timeline starts with bob's newest status", ids(tl))
    check(all(s["account"]["id"] == c["bob_id"] for s in tl), "list timeline holds only bob's statuses",
          [s["account"]["acct"] for s in tl])
    renamed = a.list_update(lst["id"], "interop pals")
    check(renamed["title"] == "interop pals", "list renamed", renamed)
    a.list_accounts_delete(lst["id"], [c["bob_id"]])
    check(a.list_accounts(lst["id"]) == [], "bob removed from the list")
    a.list_delete(lst["id"])
    check(lst["id"] not in ids(a.lists()), "list deleted")


def step_filters(c):
    # Mastodon.py 1.8 offers the v1 filter methods; Mastodon serves a v1
    # filter as a v2 filter with one keyword, so home statuses carry it.
    a, b = c["alice"], c["bob"]
    f = a.filter_create("spoilers", ["home", "public"], irreversible=False, whole_word=True)
    check(f["phrase"] == "spoilers" and set(f["context"]) == {"home", "public"}, "v1 filter created", f)
    check(f["id"] in ids(a.filters()), "filter listed")
    hit = b.status_post("big spoilers ahead", visibility="public")
    miss = b.status_post("nothing to see", visibility="public")
    home = a.timeline_home(limit=5)
    kept = a.filters_apply(home, a.filters(), "home")
    check(miss["id"] in ids(kept) and hit["id"] not in ids(kept), "filters_apply drops the matching status",
          ids(kept))
    by_id = {s["id"]: s for s in home}
    check(hit["id"] in by_id, "filtered (warn) status still in home", ids(home))
    results = by_id[hit["id"]].get("filtered") or []
    check(len(results) == 1 and results[0]["keyword_matches"] == ["spoilers"],
          "the status's filtered field names the keyword", results)
    check(not by_id[miss["id"]].get("filtered"), "an unmatched status has no filter results",
          by_id[miss["id"]].get("filtered"))
    upd = a.filter_update(f["id"], phrase="dragons")
    check(upd["phrase"] == "dragons", "filter updated", upd)
    a.filter_delete(f["id"])
    check(f["id"] not in ids(a.filters()), "filter deleted")


class Collector(StreamListener):
    def __init__(self):
        self.updates = []
        self.notifications = []
        self.errors = []
        self.got = threading.Event()
        self.open = threading.Event()

    def handle_heartbeat(self):
        # Mastodon opens each stream with a ":)" comment line.
        self.open.set()

    def on_update(self, status):
        self.updates.append(status)
        self.got.set()

    def on_notification(self, notification):
        self.notifications.append(notification)
        self.got.set()

    def on_abort(self, err):
        self.errors.append(err)
        self.got.set()


def step_streaming(c):
    a, b = c["alice"], c["bob"]
    listener = Collector()
    # Mastodon.py 1.8 connects in its thread after stream_user returns; the
    # server subscribes before it answers, so wait for the stream's opening
    # comment before posting.
    handle = a.stream_user(listener, run_async=True, timeout=3 * WAIT)
    try:
        check(listener.open.wait(WAIT), "user stream opened within %ds" % WAIT)
        st = b.status_post("live for alice", visibility="public")
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline and st["id"] not in ids(listener.updates) and not listener.errors:
            listener.got.wait(0.1)
            listener.got.clear()
        check(not listener.errors, "user stream did not abort", listener.errors)
        check(st["id"] in ids(listener.updates), "user stream delivered bob's status within %ds" % WAIT,
              ids(listener.updates))
        got = [s for s in listener.updates if s["id"] == st["id"]][0]
        check(got["account"]["id"] == c["bob_id"] and "live for alice" in got["content"],
              "streamed status decoded whole", got)
        b.status_favourite(c["poll_status"]["id"])
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline and not listener.notifications:
            listener.got.wait(0.1)
            listener.got.clear()
        check([n["type"] for n in listener.notifications] == ["favourite"],
              "user stream delivered the favourite notification", listener.notifications)
    finally:
        # close() waits until the reading thread's blocked read returns (the
        # next heartbeat, 15 s on tusk serve): let a daemon thread wait for it.
        threading.Thread(target=handle.close, daemon=True).start()


STEPS = [step_accounts, step_post_media_and_poll, step_timelines, step_interactions, step_notifications,
         step_search, step_lists, step_filters, step_streaming]


def main():
    start = time.monotonic()
    c = {who: client(who) for who in ("alice", "bob", "carol")}
    print("clients ready (%.1fs)" % (time.monotonic() - start))
    failed = 0
    for step in STEPS:
        name = step.__name__[len("step_"):]
        start = time.monotonic()
        try:
            step(c)
            print("ok   %s (%.1fs)" % (name, time.monotonic() - start))
        except ScenarioError as e:
            failed += 1
            print("FAIL %s: %s" % (name, e))
        except Exception as e:  # a client error is a failed step too
            failed += 1
            print("FAIL %s: %s: %s" % (name, type(e).__name__, e))
            traceback.print_exc(limit=-3, file=sys.stdout)
    if failed:
        print("Mastodon.py scenario: %d of %d steps failed" % (failed, len(STEPS)))
        sys.exit(1)
    print("Mastodon.py scenario: all %d steps passed" % len(STEPS))


if __name__ == "__main__":
    main()
