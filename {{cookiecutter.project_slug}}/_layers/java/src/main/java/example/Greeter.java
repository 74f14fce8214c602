package example;

/** The business logic, free of Lambda types so that every trigger's handler shares it and tests stay trivial. */
public final class Greeter {

    private Greeter() {
    }

    /**
     * Greets a name read from JSON; an absent ({@code null}) or empty name greets the world.
     *
     * @throws IllegalArgumentException when the name is not a string
     */
    public static String greet(Object name) {
        if (name == null || "".equals(name)) {
            name = "world";
        }
        if (!(name instanceof String)) {
            throw new IllegalArgumentException("name must be a string");
        }
        return "Hello, " + name + "!";
    }
}
