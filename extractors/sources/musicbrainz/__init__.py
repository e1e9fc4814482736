"""MusicBrainz: who each artist is (matched by MBID, ISRC, Spotify URL or name) and where they come from."""
