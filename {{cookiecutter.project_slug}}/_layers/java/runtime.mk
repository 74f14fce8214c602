{%- set entry = cookiecutter._runtimes[cookiecutter.runtime] -%}
{%- set language = cookiecutter._languages[entry.language] -%}
# Java (Maven) recipes, included by the Makefile. MVN may carry options, e.g. MVN="mvn -o".
MVN ?= mvn
MVN_FLAGS := --batch-mode --no-transfer-progress

# The Java version the classes are compiled for; Maven compiles with the JDK it reports (JAVA_HOME,
# else java on PATH), which must be at least as new.
JAVA_RELEASE = $(shell sed -n 's/.*<maven.compiler.release>\([0-9.]*\)<.*/\1/p' pom.xml)
# The JVM that runs the function natively (scripts/run-native.sh) and the JDK that compiles.
NATIVE_JAVA = $${LAMBDA_JAVA:-$${JAVA_HOME:+$$JAVA_HOME/bin/}java}
JAVAC = $${JAVA_HOME:+$$JAVA_HOME/bin/}javac

.PHONY: deps unit-test native-build

toolchain:
	@$(CHECK) --tool JDK --after 'Java version:' --min '$(JAVA_RELEASE)' \
		--fix 'install Maven and a JDK $(JAVA_RELEASE) or newer, and point JAVA_HOME at the JDK, $(OR_CONTAINER_MODE)' \
		-- $(MVN) --version

native-toolchain: toolchain

deps: toolchain ## Download the function's, the tests' and the plugins' dependencies into the local Maven repository
	$(MVN) $(MVN_FLAGS) dependency:go-offline

unit-test: toolchain ## Run the JUnit tests (mvn test)
	$(MVN) $(MVN_FLAGS) test

# The training run that makes the image's JVM archive costs seconds at every build: native mode, the
# edit-and-rerun loop, skips it unless TRAIN=yes (then the function starts from the archive, as in the image).
TRAIN ?= no

# Scope "compile" also copies the provided runtime interface client, which native mode runs.
native-build: toolchain ## Package target/function.jar and copy the dependency jars to target/lib (TRAIN=yes: and train the JVM archive, as the image does)
	rm -rf target/lib target/training target/function.aot target/function.jsa
	$(MVN) $(MVN_FLAGS) compile jar:jar dependency:copy-dependencies -DincludeScope=compile -DoutputDirectory=target/lib
ifeq ($(TRAIN),yes)
	$(JAVAC) --release $(JAVA_RELEASE) -d target/training scripts/TrainingRuntimeApi.java
	JAVA="$(NATIVE_JAVA)" LAMBDA_JAVA_ARCHIVE="$(CURDIR)/target/{{ "function.aot" if entry.version | int >= 25 else "function.jsa" }}" \
		scripts/train-archive.sh target/training events scripts/run-native.sh '{{ language.handler }}'
endif
