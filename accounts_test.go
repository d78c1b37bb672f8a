package mastodon

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/tuskgo/mastodon/internal/corpus"
)

func init() {
	registerReplay("GET /api/v1/accounts/verify_credentials", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Accounts.VerifyCredentials(ctx)
		return err
	})
}

func TestAccountsVerifyCredentials(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/accounts/verify_credentials", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		fmt.Fprint(w, `{"id":"14715","username":"trwnh","acct":"trwnh","display_name":"infinite love ⴳ","locked":false,"bot":false,"source":{"privacy":"public","sensitive":false,"language":"","note":"hi","fields":[]},"followers_count":821}`)
	})
	me, err := c.Accounts.VerifyCredentials(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if me.ID != "14715" || me.Username != "trwnh" || me.FollowersCount != 821 {
		t.Errorf("decoded %+v", me)
	}
}
