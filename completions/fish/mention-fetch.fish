# fish completion for mention-fetch (hark)
function __hark_mention_fetch_sources
    set -l cfg $HARK_CONFIG
    test -z "$cfg"; and set cfg (set -q XDG_CONFIG_HOME; and echo $XDG_CONFIG_HOME; or echo $HOME/.config)/hark/config
    set -l toks (commandline -opc)
    for i in (seq (count $toks))
        if contains -- $toks[$i] -c --config; and test $i -lt (count $toks)
            set cfg $toks[(math $i + 1)]
        end
    end
    test -r "$cfg"; and sed -n 's/^[[:space:]]*\[source[[:space:]]*"\([^"]*\)".*/\1/p' $cfg
end
complete -c mention-fetch -f
complete -c mention-fetch -l source -x -d 'Fetch only this source' -a '(__hark_mention_fetch_sources)'
complete -c mention-fetch -l since -x -d 'Backfill since TIME (RFC 3339) or a duration (7d)'
complete -c mention-fetch -l state-dir -x -a '(__fish_complete_directories)' -d 'Keep state in DIR/mention-fetch'
complete -c mention-fetch -l no-state -d 'Read and write no state'
complete -c mention-fetch -l archive -x -a '(__fish_complete_directories)' -d 'Keep raw responses, gzip-compressed, in DIR'
complete -c mention-fetch -l max-wait -x -d 'Longest total wait for retries (seconds)'
complete -c mention-fetch -l timeout -x -d 'Give up on one transfer after SECS'
complete -c mention-fetch -l token-file -r -F -d 'Read a source token from FILE ([SOURCE=]FILE)'
complete -c mention-fetch -l raw -d 'Add the untouched source item as raw'
complete -c mention-fetch -s c -l config -r -F -d 'Read this config file'
complete -c mention-fetch -l no-config -d 'Read no config file'
complete -c mention-fetch -s o -l output -r -F -d 'Write to FILE atomically'
complete -c mention-fetch -l rejects -r -F -d 'Copy rejected input lines to FILE'
complete -c mention-fetch -l strict -d 'Stop at the first invalid record'
complete -c mention-fetch -l skip-invalid -d 'Report invalid records but exit 0'
complete -c mention-fetch -l unbuffered -d 'Flush after every record'
complete -c mention-fetch -s q -l quiet -d 'Do not print warnings'
complete -c mention-fetch -s v -l verbose -d 'Print a summary on stderr (twice: requests)'
complete -c mention-fetch -l progress -d 'Show progress on stderr'
complete -c mention-fetch -l no-progress -d 'Never show progress'
complete -c mention-fetch -l color -x -d 'Colour output' -a 'auto always never'
complete -c mention-fetch -s h -l help -d 'Print help and exit'
complete -c mention-fetch -l version -d 'Print the version and exit'
