# bash completion for quire(1). Installed by `make install` into
# $(PREFIX)/share/bash-completion/completions/quire. Needs nothing but bash:
# values of --opt VALUE and --opt=VALUE, short and long options, files and
# folders (a folder ends in /). tests/test_completion.c drives it.

# The options of each subcommand (keep in step with `quire CMD --help`; the
# test checks both ways).
_quire_opts() {
    case $1 in
    index) echo "--index -q --quiet -j --jobs --full --shard --check --verify --format
        --title-field --text-field --date-field --url-field --source-field --encoding
        --follow-outside --keep-previous --add --remove --replace --watch --json --date-order --language --exclude --no-ignore --hidden -h --help" ;;
    search) echo "--index -n --limit --offset -c --count --json --format -l
        --files-with-matches --since --until --sort --brief --batch --explain --all-words --language
        --partial-matches --strict --aliases --color --timeout --allow-partial --k1 --b
        --coord --prox --title-weight --prf -h --help" ;;
    show) echo "--index -C --context -q --query --color -h --help" ;;
    stats) echo "--index --json -h --help" ;;
    serve) echo "--index --host --port --public --max-connections --idle-timeout -q --quiet -h
        --help --http --token --cors --threads --time-limit" ;;
    stem) echo "-l --language -h --help" ;;
    config) echo "-h --help" ;;
    esac
}

# Options that take a value (the next word, or after '=').
_quire_takes_value() {
    case $1 in
    --index | --jobs | -j | --shard | --format | --title-field | --text-field | --date-field | \
        --url-field | --source-field | --encoding | -n | --limit | --offset | --since | --until | \
        --sort | --aliases | --color | --colour | --timeout | --k1 | --b | --coord | --prox | \
        --title-weight | --prf | -C | --context | --query | --host | --port | --max-connections | \
        --idle-timeout | --language | --token | --cors | --threads | --time-limit) return 0 ;;
    -q) [ "$2" = show ] && return 0 ;;
    -l) [ "$2" = stem ] && return 0 ;;
    esac
    return 1
}

# Files and folders starting with $1, folders with a trailing /.
_quire_files() {
    local f
    local IFS=$'\n'
    for f in $(compgen -f -- "$1"); do
        if [ -d "$f" ]; then COMPREPLY+=("$f/"); else COMPREPLY+=("$f"); fi
    done
    compopt -o filenames -o nospace 2>/dev/null
}

# Completes the value of option $1 (of subcommand $2) from $3.
_quire_value() {
    local vals=
    case $1 in
    --index | --aliases) _quire_files "$3"; return ;;
    --format) if [ "$2" = index ]; then vals="auto txt html md json telegram"; else vals="text json vimgrep"; fi ;;
    --encoding) vals="windows-1251 windows-1252 iso-8859-1 iso-8859-2 iso-8859-15 koi8-r koi8-u" ;;
    --sort) vals="relevance date" ;;
    --language) vals="en ru uk fr de es it pt nl sv tr ar fa zh ja ko el he hi pl" ;;
    --color | --colour) vals="auto always never" ;;
    *) return ;; # a number, a date, a field name: nothing to offer
    esac
    COMPREPLY=($(compgen -W "$vals" -- "$3"))
}

_quire() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]} cmd=${COMP_WORDS[1]}
    COMPREPLY=()
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "index search show stats serve stem config help --help --version" -- "$cur"))
        return
    fi
    # --opt=VALUE: bash splits it at '=' (COMP_WORDBREAKS) into --opt, =, VALUE
    if [ "$cur" = "=" ]; then
        _quire_value "$prev" "$cmd" ""
        return
    fi
    if [ "$prev" = "=" ] && [ "$COMP_CWORD" -ge 3 ]; then
        _quire_value "${COMP_WORDS[COMP_CWORD - 2]}" "$cmd" "$cur"
        return
    fi
    if [[ $cur == --*=* ]]; then # when '=' is not a word break
        local opt=${cur%%=*}
        _quire_value "$opt" "$cmd" "${cur#*=}"
        COMPREPLY=("${COMPREPLY[@]/#/$opt=}")
        return
    fi
    if _quire_takes_value "$prev" "$cmd"; then
        _quire_value "$prev" "$cmd" "$cur"
        return
    fi
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_quire_opts "$cmd")" -- "$cur"))
        return
    fi
    case $cmd in
    index | show) _quire_files "$cur" ;;
    esac
}
complete -F _quire quire
