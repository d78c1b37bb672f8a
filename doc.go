// Package mastodon is a client for the Mastodon API.
//
// Create a client with NewClient and reach the API through its services
// (c.Accounts, c.Statuses, c.Timelines, …). Every call takes a context first.
package mastodon

//go:generate go run ./internal/cmd/genversions
