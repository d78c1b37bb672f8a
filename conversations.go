package mastodon

import (
	"context"
	"iter"
	"net/http"
)

// List returns a page of the user's direct conversations.
//
//api:endpoint GET /api/v1/conversations
//api:since 2.6.0
//api:changed 3.3.0
func (s *ConversationsService) List(ctx context.Context, o *ListOptions, opts ...CallOption) (*Page[Conversation], error) {
	return callList[Conversation](ctx, s.c, req{Method: http.MethodGet, Path: "/api/v1/conversations", Query: o}, opts)
}

// ListAll iterates over the user's conversations, page by page.
func (s *ConversationsService) ListAll(ctx context.Context, o *ListOptions, opts ...CallOption) iter.Seq2[*Conversation, error] {
	return iterate(ctx, func() (*Page[Conversation], error) { return s.List(ctx, o, opts...) })
}

// Read marks a conversation as read.
//
//api:endpoint POST /api/v1/conversations/{id}/read
//api:since 2.6.0
func (s *ConversationsService) Read(ctx context.Context, id string, opts ...CallOption) (*Conversation, error) {
	return call[Conversation](ctx, s.c, req{Method: http.MethodPost, Path: "/api/v1/conversations/{id}/read", Params: []string{id}, Idempotent: true}, opts)
}

// Remove hides a conversation from the list; its statuses stay.
//
//api:endpoint DELETE /api/v1/conversations/{id}
//api:since 2.6.0
func (s *ConversationsService) Remove(ctx context.Context, id string, opts ...CallOption) error {
	return callNoContent(ctx, s.c, req{Method: http.MethodDelete, Path: "/api/v1/conversations/{id}", Params: []string{id}, Idempotent: true}, opts)
}
