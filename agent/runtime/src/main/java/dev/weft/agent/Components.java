package dev.weft.agent;

/** How a component reaches the components it calls: by interface, whether they run here or elsewhere. */
public interface Components {

    /**
     * A reference to the component with this interface. Calls on it run in this process when the component is
     * hosted here and go to a replica of the same version otherwise.
     *
     * @throws IllegalArgumentException if the interface is not a component of this application
     */
    <T> T get(Class<T> api);
}
