package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestDirectoryList(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/directory", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		switch r.URL.Query().Get("offset") {
		case "":
			testQuery(t, r, "limit=2&order=new&local=true")
			fmt.Fprintf(w, "["+accountJSON+","+accountJSON+"]", "1", "2")
		case "2":
			testQuery(t, r, "limit=2&offset=2&order=new&local=true")
			fmt.Fprintf(w, "["+accountJSON+"]", "3")
		case "3":
			fmt.Fprint(w, "[]")
		}
	})
	ctx := context.Background()
	o := &DirectoryOptions{Limit: 2, Order: DirectoryOrderNew, Local: true}
	p, err := c.Directory.List(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 2 || p.Items[0].ID != "1" || !p.HasNext() {
		t.Fatalf("page %+v", p)
	}
	var ids []string
	for a, err := range c.Directory.ListAll(ctx, o) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	if strings.Join(ids, ",") != "1,2,3" {
		t.Errorf("iterated %v", ids)
	}
	if o.Offset != 0 {
		t.Errorf("options changed: %+v", o)
	}
	if _, err := c.Directory.List(ctx, &DirectoryOptions{Limit: -1}); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("negative limit: err = %v", err)
	}
	testErrorKinds(t, "/api/v1/directory", func(c *Client, _ string) error { _, err := c.Directory.List(context.Background(), nil); return err })
}

func TestDirectoryListDefaults(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/directory", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, "offset=5")
		fmt.Fprint(w, `[{"id":"1","username":`)
	})
	if _, err := c.Directory.List(context.Background(), &DirectoryOptions{Offset: 5}); !errors.Is(err, ErrDecode) {
		t.Errorf("truncated answer: err = %v, want ErrDecode", err)
	}
}
