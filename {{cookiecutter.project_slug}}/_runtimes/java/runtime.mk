# Java (Maven) recipes, included by the Makefile. MVN may carry options, e.g. MVN="mvn -o".
MVN ?= mvn
MVN_FLAGS := --batch-mode --no-transfer-progress

# The Java version the classes are compiled for; Maven compiles with the JDK it reports (JAVA_HOME,
# else java on PATH), which must be at least as new.
JAVA_RELEASE = $(shell sed -n 's/.*<maven.compiler.release>\([0-9.]*\)<.*/\1/p' pom.xml)

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

# Scope "compile" also copies the provided runtime interface client, which native mode runs.
native-build: toolchain ## Compile to target/classes and copy the dependency jars to target/lib, as the image lays them out
	rm -rf target/lib
	$(MVN) $(MVN_FLAGS) compile dependency:copy-dependencies -DincludeScope=compile -DoutputDirectory=target/lib
