package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class GreeterTest {

    @Test
    void greetsTheNameGiven() {
        assertEquals("Hello, Zoë 🚀!", Greeter.greet("Zoë 🚀"));
    }

    @Test
    void greetsTheWorldWhenTheNameIsAbsentOrEmpty() {
        assertEquals("Hello, world!", Greeter.greet(null));
        assertEquals("Hello, world!", Greeter.greet(""));
    }

    @Test
    void refusesANameThatIsNotAString() {
        for (Object name : List.of(42, List.of("Ada"), true)) {
            Exception error = assertThrows(IllegalArgumentException.class, () -> Greeter.greet(name));
            assertEquals("name must be a string", error.getMessage());
        }
    }
}
