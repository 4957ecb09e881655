# bash completion for quire(1). Installed by `make install` into
# $(PREFIX)/share/bash-completion/completions/quire.
_quire() {
    local cur prev cmd
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    cmd=${COMP_WORDS[1]}
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "index search show stats serve stem help --version" -- "$cur"))
        return
    fi
    case $prev in
    --index|--aliases) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --format)
        if [ "$cmd" = index ]; then
            COMPREPLY=($(compgen -W "txt html md json telegram" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "text json vimgrep" -- "$cur"))
        fi
        return ;;
    --encoding) COMPREPLY=($(compgen -W "windows-1251 windows-1252 iso-8859-1 iso-8859-2 koi8-r" -- "$cur")); return ;;
    --sort) COMPREPLY=($(compgen -W "relevance date" -- "$cur")); return ;;
    --color|--colour) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
    esac
    case $cmd in
    index)
        COMPREPLY=($(compgen -W "--index --quiet --jobs --full --shard --check --verify --format
            --title-field --text-field --date-field --url-field --source-field --encoding --help" -- "$cur"))
        [ "${cur#-}" = "$cur" ] && COMPREPLY=($(compgen -f -- "$cur")) ;;
    search)
        COMPREPLY=($(compgen -W "--index --limit --offset --json --format --files-with-matches
            --since --until --sort --brief --batch --explain --all-words --aliases --color --timeout
            --allow-partial --k1 --b --coord --prox --title-weight --prf --help" -- "$cur")) ;;
    show)
        COMPREPLY=($(compgen -W "--index --context --query --color --help" -- "$cur"))
        [ "${cur#-}" = "$cur" ] && COMPREPLY=($(compgen -f -- "$cur")) ;;
    stats) COMPREPLY=($(compgen -W "--index --json --help" -- "$cur")) ;;
    serve) COMPREPLY=($(compgen -W "--index --host --port --help" -- "$cur")) ;;
    esac
}
complete -F _quire quire
