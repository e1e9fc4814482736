-- Plays dated before {{ earliest }} (1970: a broken scrobble) or after {{ latest }} (over a day in the future)
-- become skips, {{ early }} or {{ future }}; a row already skipped or malformed keeps its reason.
update import_staged
set
    skip_reason = case
        when played_at < cast({{ literal(earliest) }} as timestamp) then {{ literal(early) }}
        else {{ literal(future) }}
    end
where
    skip_reason is null
    and problem is null
    and (
        played_at < cast({{ literal(earliest) }} as timestamp)
        or played_at > cast({{ literal(latest) }} as timestamp)
    )
