"""The client scenario, run by Mastodon.py (Debian's python3-mastodon)
against `tusk serve`: accounts, posting with media and polls, timelines
with pagination, notifications, streaming, search, lists and filters.

Environment: TUSK_URL, ALICE_TOKEN, BOB_TOKEN. Any failed check raises, so
the interpreter exits non-zero."""

import base64
import os
import threading
import time

from mastodon import Mastodon, StreamListener

URL = os.environ["TUSK_URL"]
# A 1x1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def client(token):
    return Mastodon(access_token=token, api_base_url=URL, version_check_mode="none")


def check(cond, what):
    if not cond:
        raise AssertionError(what)
    print("py ok:", what)


alice = client(os.environ["ALICE_TOKEN"])
bob = client(os.environ["BOB_TOKEN"])

# Accounts.
me = alice.account_verify_credentials()
check(me["username"] == "alice", "verify_credentials")
upd = alice.account_update_credentials(display_name="Alice from Python")
check(upd["display_name"] == "Alice from Python", "update_credentials")
found = bob.account_lookup("alice")
check(found["id"] == me["id"], "account_lookup")
rel = bob.account_follow(me["id"])
check(rel["following"], "follow")
check(bob.account_relationships(me["id"])[0]["following"], "relationships")

# Streaming: bob's user stream sees alice's posts.
seen = []
got = threading.Event()


class Listener(StreamListener):
    def on_update(self, status):
        seen.append(status["content"])
        got.set()


handle = bob.stream_user(Listener(), run_async=True)
ok = False
for i in range(20):
    alice.status_post("streamed from python %d" % i)
    if got.wait(1):
        ok = True
        break
handle.close()
check(ok and any("streamed from python" in c for c in seen), "stream_user delivers an update")

# Posting with media and a poll.
media = alice.media_post(PNG, mime_type="image/png", description="a pixel")
check(media["type"] == "image" and media["description"] == "a pixel", "media_post")
st = alice.status_post("with a picture", media_ids=[media["id"]])
check(st["media_attachments"][0]["id"] == media["id"], "status with media")
poll = alice.make_poll(["yes", "no"], expires_in=3600)
pst = alice.status_post("vote?", poll=poll)
bob.poll_vote(pst["poll"]["id"], [0])  # Mastodon.py 1.8 returns nothing here
voted = bob.poll(pst["poll"]["id"])
check(voted["votes_count"] == 1 and voted["own_votes"] == [0], "poll_vote")

# Timelines with pagination.
for i in range(5):
    alice.status_post("page item %d" % i)
page = bob.timeline_home(limit=2)
check(len(page) == 2, "timeline_home first page")
nxt = bob.fetch_next(page)
check(nxt is not None and len(nxt) == 2 and nxt[0]["id"] < page[-1]["id"], "fetch_next")

# Notifications.
alice.status_post("@bob hello from python")
notes = bob.notifications(types=["mention"])
check(any("hello from python" in n["status"]["content"] for n in notes), "mention notification")

# Search.
res = bob.search_v2("alice", result_type="accounts")
check(any(a["id"] == me["id"] for a in res["accounts"]), "search_v2 accounts")

# Lists.
lst = bob.list_create("friends")
bob.list_accounts_add(lst["id"], [me["id"]])
tl = bob.timeline_list(lst["id"])
check(len(tl) > 0 and all(s["account"]["id"] == me["id"] for s in tl), "list timeline")

# Filters (v1, as Mastodon.py 1.8 knows them).
flt = bob.filter_create("python-filtered", ["home"])
check(any(f["id"] == flt["id"] for f in bob.filters()), "filter_create")
bob.filter_delete(flt["id"])
check(all(f["id"] != flt["id"] for f in bob.filters()), "filter_delete")

print("py: scenario passed")
