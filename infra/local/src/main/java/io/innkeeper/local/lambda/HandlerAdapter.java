package io.innkeeper.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * How one handler class is constructed and called, decided once per class the way the Lambda Java
 * runtime decides it: a public no-argument constructor, and for a {@link RequestHandler} the
 * serializers of its type arguments (Lambda's event serializers for the AWS event types, the
 * runtime's Jackson for anything else). {@link RequestStreamHandler}s get the raw bytes.
 */
final class HandlerAdapter {

  private final Class<?> handlerClass;
  private final Constructor<?> constructor;
  private final PojoSerializer<Object> input;
  private final PojoSerializer<Object> output;
  private final boolean stream;

  private HandlerAdapter(
      Class<?> handlerClass,
      Constructor<?> constructor,
      PojoSerializer<Object> input,
      PojoSerializer<Object> output,
      boolean stream) {
    this.handlerClass = handlerClass;
    this.constructor = constructor;
    this.input = input;
    this.output = output;
    this.stream = stream;
  }

  static HandlerAdapter forClass(String className, ClassLoader loader)
      throws ReflectiveOperationException {
    Class<?> handlerClass = Class.forName(className, false, loader);
    Constructor<?> constructor = handlerClass.getConstructor();
    if (RequestStreamHandler.class.isAssignableFrom(handlerClass)) {
      return new HandlerAdapter(handlerClass, constructor, null, null, true);
    }
    if (!RequestHandler.class.isAssignableFrom(handlerClass)) {
      throw new IllegalArgumentException(
          className + " implements neither RequestHandler nor RequestStreamHandler");
    }
    Type[] types = requestHandlerTypes(handlerClass);
    return new HandlerAdapter(
        handlerClass,
        constructor,
        serializerFor(types[0], loader),
        isVoid(types[1]) ? null : serializerFor(types[1], loader),
        false);
  }

  Class<?> handlerClass() {
    return handlerClass;
  }

  /** A new instance, as a new Lambda container would create it (its "init" phase). */
  Object newInstance() throws ReflectiveOperationException {
    return constructor.newInstance();
  }

  /** Deserializes the event; a failure here is an invocation failure, as on Lambda. */
  Object readEvent(String eventJson) {
    if (stream) {
      return eventJson.getBytes(StandardCharsets.UTF_8);
    }
    return input.fromJson(eventJson);
  }

  /** Calls the handler and serializes its answer; {@code null} when there is none. */
  @SuppressWarnings("unchecked")
  String call(Object instance, Object event, Context context) throws IOException {
    if (stream) {
      var out = new ByteArrayOutputStream();
      ((RequestStreamHandler) instance)
          .handleRequest(new ByteArrayInputStream((byte[]) event), out, context);
      return out.size() == 0 ? null : out.toString(StandardCharsets.UTF_8);
    }
    Object result = ((RequestHandler<Object, Object>) instance).handleRequest(event, context);
    if (result == null || output == null) {
      return null;
    }
    var out = new ByteArrayOutputStream();
    output.toJson(result, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The same choice as the Lambda Java runtime's {@code EventHandlerLoader}. */
  @SuppressWarnings("unchecked")
  private static PojoSerializer<Object> serializerFor(Type type, ClassLoader loader) {
    if (type instanceof Class<?> c && LambdaEventSerializers.isLambdaSupportedEvent(c.getName())) {
      return (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(c, loader);
    }
    return JacksonFactory.getInstance().getSerializer(type);
  }

  private static boolean isVoid(Type type) {
    return type == Void.class || type == void.class;
  }

  /** The actual {@code I} and {@code O} of {@code RequestHandler<I, O>} for a handler class. */
  static Type[] requestHandlerTypes(Class<?> handlerClass) {
    Type[] found = search(handlerClass, Map.of());
    if (found == null) {
      return new Type[] {Object.class, Object.class};
    }
    return found;
  }

  private static Type[] search(Type type, Map<TypeVariable<?>, Type> outer) {
    Class<?> raw;
    Map<TypeVariable<?>, Type> bindings = new HashMap<>();
    if (type instanceof ParameterizedType parameterized) {
      raw = (Class<?>) parameterized.getRawType();
      TypeVariable<?>[] variables = raw.getTypeParameters();
      Type[] arguments = parameterized.getActualTypeArguments();
      for (int i = 0; i < variables.length; i++) {
        bindings.put(variables[i], substitute(arguments[i], outer));
      }
    } else if (type instanceof Class<?> c) {
      raw = c;
    } else {
      return null;
    }
    if (raw == RequestHandler.class) {
      TypeVariable<?>[] variables = raw.getTypeParameters();
      return new Type[] {
        bindings.getOrDefault(variables[0], Object.class),
        bindings.getOrDefault(variables[1], Object.class)
      };
    }
    for (Type parent : raw.getGenericInterfaces()) {
      Type[] found = search(parent, bindings);
      if (found != null) {
        return found;
      }
    }
    Type superclass = raw.getGenericSuperclass();
    return superclass == null ? null : search(superclass, bindings);
  }

  private static Type substitute(Type type, Map<TypeVariable<?>, Type> bindings) {
    if (type instanceof TypeVariable<?> variable) {
      Type bound = bindings.get(variable);
      if (bound != null) {
        return bound;
      }
      Type[] bounds = variable.getBounds();
      return bounds.length > 0 ? substitute(bounds[0], bindings) : Object.class;
    }
    if (type instanceof WildcardType wildcard) {
      return substitute(wildcard.getUpperBounds()[0], bindings);
    }
    // Parameterized and array types stay as declared: Jackson resolves them itself, and type
    // variables inside them are rare enough in handler signatures.
    return type;
  }
}
