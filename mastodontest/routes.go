package mastodontest

import "net/http"

func (s *Server) routes() {
	s.oauthRoutes()
	s.accountRoutes()
	s.statusRoutes()
	s.timelineRoutes()
	s.notificationRoutes()
	s.mediaRoutes()
	s.instanceRoutes()
	s.streamingRoutes()
	s.socialRoutes()
	s.filterRoutes()
	s.pushRoutes()
	s.reportRoutes()
	s.filterV1Routes()
	s.domainBlockRoutes()
	s.trendRoutes()
	s.translateRoutes()
	s.suggestionRoutes()
	s.announcementRoutes()
	s.directoryRoutes()
	s.featuredTagRoutes()
	s.adminRoutes()
	s.mux.HandleFunc("/", s.notFoundPage)
}

func (s *Server) notFoundPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write([]byte("<!DOCTYPE html>\n<html><head><title>The page you were looking for doesn't exist (404)</title></head><body><h1>The page you were looking for doesn't exist.</h1></body></html>\n"))
}
