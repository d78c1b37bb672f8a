package mastodon

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"net/http"
	"testing"

	"github.com/tuskgo/mastodon/mastodontest"
)

// socialSetup starts a mastodontest server with alice and bob and a Tusk
// client for each.
func socialSetup(t *testing.T) (srv *mastodontest.Server, alice, bob *Client, aliceID, bobID string) {
	t.Helper()
	srv = mastodontest.NewTestServer(t)
	a, aTok := mtUser(srv, "alice")
	b, bTok := mtUser(srv, "bob")
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	mk := func(tok string) *Client {
		c, err := newScannedClient(srv.URL, WithAccessToken(tok), WithHTTPClient(&http.Client{Transport: tr}))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	return srv, mk(aTok), mk(bTok), a.ID, b.ID
}

func smallPNG(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 4, 3))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestEditMediaAttributesAgainstMastodontest: per-attachment focus and
// description reach the server through Statuses.Edit, in the JSON body
// and, with a thumbnail, in the multipart one.
func TestEditMediaAttributesAgainstMastodontest(t *testing.T) {
	_, alice, _, _, _ := socialSetup(t)
	ctx := context.Background()
	var ids []string
	for range 2 {
		m, err := alice.Media.Upload(ctx, FileFromBytes("p.png", smallPNG(t)), &UploadMediaParams{Description: "old", Focus: &FocusPoint{0.1, 0.1}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	posted, err := alice.Statuses.Post(ctx, &PostStatusParams{Status: "pics", MediaIDs: ids})
	if err != nil {
		t.Fatal(err)
	}
	id := posted.Status.ID
	check := func(st *Status, i int, desc string, x, y float64) {
		t.Helper()
		m := st.MediaAttachments[i]
		if m.ID != ids[i] || m.Description == nil || *m.Description != desc || m.Meta == nil || m.Meta.Focus == nil ||
			m.Meta.Focus.X == nil || *m.Meta.Focus.X != x || m.Meta.Focus.Y == nil || *m.Meta.Focus.Y != y {
			t.Errorf("attachment %d: %+v %+v", i, m.Description, m.Meta)
		}
	}

	st, err := alice.Statuses.Edit(ctx, id, &EditStatusParams{Status: "pics", MediaIDs: ids, MediaAttributes: []MediaAttribute{
		{ID: ids[1], Focus: &FocusPoint{-0.5, 1}}, {ID: ids[0], Description: Ptr("new")}}})
	if err != nil {
		t.Fatal(err)
	}
	check(st, 0, "new", 0.1, 0.1)
	check(st, 1, "old", -0.5, 1)

	thumb := FileFromBytes("t.png", smallPNG(t))
	st, err = alice.Statuses.Edit(ctx, id, &EditStatusParams{Status: "pics", MediaIDs: ids, MediaAttributes: []MediaAttribute{
		{ID: ids[0], Focus: &FocusPoint{1, -1}, Thumbnail: &thumb}, {ID: ids[1], Description: Ptr("again")}}})
	if err != nil {
		t.Fatal(err)
	}
	check(st, 0, "new", 1, -1)
	check(st, 1, "again", -0.5, 1)
	if got, err := alice.Statuses.Get(ctx, id); err != nil {
		t.Fatal(err)
	} else {
		check(got, 0, "new", 1, -1)
	}
}
