"""Spotify: the catalog (tracks, artists, albums), live polling of recently-played, and the PKCE sign-in."""
