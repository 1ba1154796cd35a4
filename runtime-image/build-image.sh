#!/usr/bin/env bash
# Builds the berth runtime image the way Helidon's linker does: jlink refuses automatic modules,
# so runtime/ is a jlink image of just the JDK modules that jdeps finds in berth and its plugins,
# lib/ holds berth's own jars on the module path, plugins/NAME/ each plugin's jars (loaded into
# a module layer of its own at run time), and bin/berth runs runtime/bin/java -m dev.berth.cli.
# Then the tarball an operator installs, $4 = berth-VERSION.tar.gz (one folder, berth/, without the AOT cache:
# that is made for one folder, see bin/berth-cache) and its berth-VERSION.tar.gz.sha256 beside it.
set -euo pipefail
image=$1 lib=$2 root=$3 tarball=$4 proguard=${5:-}
: "${JAVA_HOME:?set JAVA_HOME to the JDK 25 that links the image}"
jdk=$JAVA_HOME/bin
plugins=(linux-fs identity-avalanche identity-ethereum identity-x509 key-passphrase)
for optional in s3-store etcd-store aws; do
  [[ -d $root/plugins/$optional/target/plugin ]] && plugins+=("$optional")
done

rm -rf "$image"
mkdir -p "$image"/{lib,plugins,conf,bin,systemd}
cp "$lib"/*.jar "$image/lib/"
for p in "${plugins[@]}"; do
  src=$root/plugins/$p/target/plugin
  [[ -d $src ]] || { echo "build-image: plugin $p was not packaged ($src missing): build the whole reactor" >&2; exit 1; }
  mkdir -p "$image/plugins/$p"
  cp "$src"/*.jar "$image/plugins/$p/"
done

# Layers as a graph: a library that several plugins carry goes once into a folder of its own, the parent
# layer of those plugins (parents= in their index), instead of once in each of their folders.
# share LIBRARY 'PATTERNS' PLUGIN...: moves each jar of those plugins that matches a pattern into
# plugins/LIBRARY/ (library=true: only ever a parent); two copies of one jar must be the same bytes.
share() {
  local library=$1 patterns=$2 p pattern jar name; shift 2
  mkdir -p "$image/plugins/$library"
  printf '%s\n' "# Shared by $*: the parent layer of the plugins that name it in parents=." \
    'library=true' >"$image/plugins/$library/berth-plugin.properties"
  for p in "$@"; do
    for pattern in $patterns; do
      for jar in "$image/plugins/$p"/$pattern; do
        [[ -e $jar ]] || continue
        name=$(basename "$jar")
        if [[ -e $image/plugins/$library/$name ]]; then
          cmp -s "$jar" "$image/plugins/$library/$name" || { echo "build-image: $p carries a different $name" >&2; exit 1; }
        else
          cp "$jar" "$image/plugins/$library/"
        fi
        rm "$jar"
      done
    done
    printf 'parents=%s\n' "$library" >"$image/plugins/$p/berth-plugin.properties"
  done
}
# BouncyCastle and identity-common, once for the identities and key-passphrase.
share crypto 'bcprov-*.jar bcpkix-*.jar bcutil-*.jar berth-identity-common-*.jar' \
  identity-avalanche identity-ethereum identity-x509 key-passphrase
[[ $(find "$image/plugins" -name 'bcprov*.jar' | wc -l) -eq 1 ]] || { echo "build-image: BouncyCastle is not in plugins/crypto once" >&2; exit 1; }

# The AWS SDK's service jars, shrunk to what the plugin reaches: ec2 alone is 26 MB of some 600 operations, of
# which berth calls about twenty. ProGuard (no optimisation, no renaming: the code is the SDK's) drops the client
# methods berth never calls and the classes only they named; ClassClosure then drops the classes the remaining
# code cannot reach at all (ProGuard leaves them behind through constant pools it does not clean). The SDK's
# common jars (sdk-core, auth, regions, ...) stay whole: they load classes by name. The warm-up providers
# (META-INF/services, for CRaC/SnapStart priming, never called by berth) go with the rest. FleetTest and
# StaticFleetTest run the shrunk jars against moto.
here=$(cd "$(dirname "$0")" && pwd)
jdk_classes=""
jdk_library() { # the JDK's classes, for ProGuard to see the hierarchy (JDK 25 ships no jmods)
  [[ -z $jdk_classes ]] || return 0
  jdk_classes=$(mktemp -d)
  "$jdk/jimage" extract --dir "$jdk_classes" \
    --include 'regex:/(java\.base|java\.logging|java\.net\.http|java\.xml|java\.naming|java\.management|java\.sql|java\.desktop)/.*\.class' \
    "$JAVA_HOME/lib/modules"
}
# module_name JAR: the name the module path gives a jar (its descriptor's, or its automatic name)
module_name() { "$jdk/java" --module-path "$1" --list-modules | grep -F "file:" | sed -E 's/[@ ].*//'; }
# shrink FOLDER ROOTS PREFIX...: shrinks the jars of plugins/FOLDER whose names start with a PREFIX (ec2- ...) to
# what the comma-separated ROOTS jars (the plugins' own berth-*.jar) reach. A shrunk jar is an automatic module of
# its old name, without what the shrink would falsify or cannot follow: its signature (BouncyCastle signs its
# jars: the digests of rewritten classes no longer match), multi-release variants, module descriptor (it would
# export packages that are gone) and META-INF/services (warm-up providers, the BC provider: berth uses neither).
shrink() {
  local dir=$image/plugins/$1 roots=$2 work; shift 2
  work=$(mktemp -d)
  local pro=$work/shrink.pro jars=() root jar name
  jdk_library
  mkdir -p "$work/manifests"
  {
    for root in ${roots//,/ }; do printf -- '-injars %s(!module-info.class,!META-INF/versions/**)\n' "$root"; done
    printf -- '-outjars %s/root\n' "$work"
    for prefix in "$@"; do
      for jar in "$dir/$prefix"*.jar; do
        name=$(basename "$jar")
        jars+=("$work/pg/$name")
        printf 'Automatic-Module-Name: %s\n' "$(module_name "$jar")" >"$work/manifests/$name"
        printf -- '-injars %s(!module-info.class,!META-INF/MANIFEST.MF,!META-INF/*.SF,!META-INF/*.RSA,!META-INF/*.DSA,!META-INF/*.EC,!META-INF/services/**,!META-INF/versions/**)\n-outjars %s/pg/%s\n' \
          "$jar" "$work" "$name"
      done
    done
    for jar in "$dir"/*.jar "$image"/lib/*.jar; do
      [[ ,$roots, == *,$jar,* ]] && continue
      local shrunk=""
      for prefix in "$@"; do [[ $(basename "$jar") == "$prefix"* ]] && shrunk=1; done
      [[ -n $shrunk ]] || printf -- '-libraryjars %s(!module-info.class,!META-INF/versions/**)\n' "$jar"
    done
    for module in "$jdk_classes"/*; do printf -- '-libraryjars %s(!module-info.class)\n' "$module"; done
    # enums: Class.getEnumConstants calls values() by reflection.
    # the S3 jar's CRT-based client needs the CRT native library, which berth does not ship: never reached
    printf '%s\n' -dontoptimize -dontobfuscate -keepattributes '*' -dontnote '-dontwarn software.amazon.awssdk.crt.**' \
      '-keep class dev.berth.** { *; }' \
      '-keepclassmembers enum * { public static **[] values(); public static ** valueOf(java.lang.String); }'
  } >"$pro"
  "$jdk/java" -cp "$proguard/*" proguard.ProGuard "@$pro" >"$work/proguard.log" 2>&1 || {
    echo "build-image: ProGuard could not shrink plugins/$(basename "$dir") (its log: $work/proguard.log)" >&2; exit 1; }
  "$jdk/java" "$here/src/build/ClassClosure.java" "$work/out" --roots "$roots" \
    --shrink "$(IFS=,; echo "${jars[*]}")" || { echo "build-image: ClassClosure failed on plugins/$(basename "$dir")" >&2; exit 1; }
  for jar in "$work"/out/*.jar; do
    "$jdk/jar" --update --file "$jar" --manifest "$work/manifests/$(basename "$jar")"
  done
  local before; before=$(du -sk "$dir" | cut -f1)
  cp "$work"/out/*.jar "$dir/"
  echo "build-image: plugins/$(basename "$dir") shrunk from $((before / 1024)) MB to $(($(du -sk "$dir" | cut -f1) / 1024)) MB"
  rm -rf "$work"
}
if [[ -n $proguard ]]; then
  [[ ! -d $image/plugins/aws ]] || shrink aws "$(ls "$image"/plugins/aws/berth-*.jar)" ec2- autoscaling- kms-
  [[ ! -d $image/plugins/s3-store ]] || shrink s3-store "$(ls "$image"/plugins/s3-store/berth-*.jar)" s3-
  # BouncyCastle (bcprov alone is 7 MB of ciphers, post-quantum schemes and a JCA provider berth never
  # registers) to what the identity plugins and key-passphrase reach: EC keys, Keccak, RIPEMD-160, Argon2,
  # ASN.1, X.509 and PKCS#10 building, PEM. ImageTest runs each identity and the passphrase backup on them.
  shrink crypto "$(ls "$image"/plugins/{identity-*,key-passphrase}/berth-*.jar "$image"/plugins/crypto/berth-*.jar | paste -sd,)" \
    bcprov- bcpkix- bcutil-
  # picocli is compiled for Java 5 (class file 49): the JVM keeps no class that old in a CDS or AOT archive,
  # so its 170 classes were parsed and verified by the old verifier at every start. Rewritten as Java 8 class
  # files (same code, with stack maps), they go into lib/berth.aot like the rest.
  for jar in "$image"/lib/picocli-*.jar; do
    [[ -e $jar ]] || continue
    jdk_library
    work=$(mktemp -d)
    printf '%s\n' "-injars $jar(!META-INF/versions/**)" "-outjars $work/out.jar" \
      "-libraryjars $jdk_classes/java.base(!module-info.class)" "-libraryjars $jdk_classes/java.sql(!module-info.class)" \
      "-libraryjars $jdk_classes/java.logging(!module-info.class)" -target 1.8 -dontshrink -dontoptimize -dontobfuscate \
      -keepattributes '*' -dontnote >"$work/retarget.pro"
    "$jdk/java" -cp "$proguard/*" proguard.ProGuard "@$work/retarget.pro" >"$work/proguard.log" 2>&1 || {
      echo "build-image: ProGuard could not rewrite $(basename "$jar") as Java 8 class files ($work/proguard.log)" >&2; exit 1; }
    # its module descriptor (a multi-release entry) goes back as it was
    mkdir "$work/mi" && (cd "$work/mi" && "$jdk/jar" --extract --file "$jar" META-INF/versions/9/module-info.class)
    "$jdk/jar" --update --file "$work/out.jar" --release 9 -C "$work/mi/META-INF/versions/9" module-info.class
    cp "$work/out.jar" "$jar"
    rm -rf "$work"
  done
  [[ -z $jdk_classes ]] || rm -rf "$jdk_classes"
else
  echo "build-image: no ProGuard given (5th argument): the AWS SDK's service jars stay whole" >&2
fi

# The AWS SDK's common jars (sdk-core, regions, auth, jackson-core, ...: 4.6 MB), once for aws and s3-store:
# every jar both carry, the same bytes (the shrunk service jars are each one's own).
if [[ -d $image/plugins/aws && -d $image/plugins/s3-store ]]; then
  share aws-sdk "$(comm -12 <(cd "$image/plugins/aws" && ls -- *.jar | grep -v '^berth-') \
    <(cd "$image/plugins/s3-store" && ls -- *.jar | grep -v '^berth-'))" aws s3-store
fi

# The JDK modules that berth and every plugin need (plugins resolve against the image's boot layer).
# jdeps runs per plugin, over berth's lib/, its parent folders and its own folder as one module path: two plugins
# may carry the same library, which a single run would refuse. Only JDK modules are kept.
jdk_modules=$("$jdk/java" --list-modules | sed 's/@.*//')
deps() {
  "$jdk/jdeps" --print-module-deps --ignore-missing-deps --multi-release 21 --module-path "$1" \
    --add-modules ALL-MODULE-PATH 2>/dev/null | tail -1 | tr ',' '\n' | grep -Fx "$jdk_modules" || true
}
mods=$(deps "$image/lib")
[[ -n $mods ]] || { echo "build-image: jdeps found no JDK module in berth's own jars in $image/lib" >&2; exit 1; }
for p in "${plugins[@]}"; do
  path=$image/lib
  for parent in $(sed -n 's/^parents=//p' "$image/plugins/$p/berth-plugin.properties" 2>/dev/null | tr ',' ' '); do
    path+=:$image/plugins/$parent
  done
  mods+=$'\n'$(deps "$path:$image/plugins/$p")
done
# Always present: XML (StAX, for the SDKs' query and XML protocols: jdeps does not follow automatic modules), DNS,
# TLS and EC, jdk.unsupported (sun.misc, for libraries that still reach it), zipfs. Not java.management or
# jdk.management (0.65 MB): nothing in berth or its plugins uses JMX, and jcmd's diagnostic commands
# (Thread.print, GC.*, VM.*) are the JVM's own.
mods+=$'\n'$(tr ',' '\n' <<<"java.xml,jdk.naming.dns,java.naming,java.net.http,jdk.crypto.ec,jdk.unsupported,jdk.zipfs,java.logging")
mods=$(grep -v '^$' <<<"$mods" | sort -u | paste -sd, -)
# No default CDS archives (--generate-cds-archive would add two of 14 MB each): lib/berth.aot, made by
# bin/berth-cache, is the image's one class-data archive (JDK 25's AOT cache holds the JDK classes a run
# loads as well as berth's). Class files without debug attributes, compressed; no headers, no man pages.
"$jdk/jlink" --add-modules "$mods" --output "$image/runtime" --strip-debug --no-header-files --no-man-pages \
  --compress zip-9
# Native debug symbols: the JDK keeps its libraries' .symtab (libjvm.so alone carries 5 MB of it); the
# dynamic symbols stay, so hs_err files still name JVM frames by their exported names.
if command -v strip >/dev/null; then
  find "$image/runtime" -name '*.so' -exec strip --strip-unneeded {} +
else
  echo "build-image: no strip (binutils) on this machine: the runtime keeps its native symbol tables" >&2
fi

cp "$here"/src/main/image/bin/* "$image/bin/"
chmod 0755 "$image"/bin/*
cp "$here"/src/main/image/conf/* "$image/conf/"
cp "$here"/src/main/image/systemd/* "$image/systemd/"

# Each plugin folder's index (what it provides), so that a start resolves only the folders it uses.
"$image/bin/berth" plugins --write-index >/dev/null

# The tarball first, so that it never holds the AOT cache made below for this build folder.
tar --sort=name --owner=0 --group=0 --numeric-owner -C "$(dirname "$image")" -czf "$tarball" "$(basename "$image")"
(cd "$(dirname "$tarball")" && sha256sum "$(basename "$tarball")" >"$tarball.sha256")
echo "build-image: $tarball ($(du -h "$tarball" | cut -f1)) and its .sha256"

# The AOT cache of this build folder, so that runtime-image/target/berth/bin/berth starts fast too.
"$image/bin/berth-cache" || echo "build-image: no AOT cache; berth starts without it" >&2
echo "build-image: $image ($(du -sh "$image" | cut -f1)), JDK modules: $mods"
