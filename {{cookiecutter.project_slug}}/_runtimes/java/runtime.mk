# Java (Maven) recipes, included by the Makefile. MVN may carry options, e.g. MVN="mvn -o".
MVN ?= mvn
MVN_FLAGS := --batch-mode --no-transfer-progress

.PHONY: deps unit-test native-build
deps: ## Download the function's, the tests' and the plugins' dependencies into the local Maven repository
	$(MVN) $(MVN_FLAGS) dependency:go-offline

unit-test: ## Run the JUnit tests (mvn test)
	$(MVN) $(MVN_FLAGS) test

# Scope "compile" also copies the provided runtime interface client, which native mode runs.
native-build: ## Compile to target/classes and copy the dependency jars to target/lib, as the image lays them out
	rm -rf target/lib
	$(MVN) $(MVN_FLAGS) compile dependency:copy-dependencies -DincludeScope=compile -DoutputDirectory=target/lib
