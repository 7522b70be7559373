package dev.parallax.core.internal;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedField;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.AnnotatedMethod;
import com.fasterxml.jackson.databind.introspect.AnnotatedParameter;
import com.fasterxml.jackson.databind.introspect.NopAnnotationIntrospector;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Constructor;
import org.jspecify.annotations.Nullable;

/**
 * The rule that makes record components of tool inputs required, for the strict mapper.
 *
 * <p>A component of a record is required, both present and not {@code null}, unless it is annotated
 * {@code @Nullable} (JSpecify's, or any annotation named {@code Nullable}, on the type or the
 * declaration) or is an {@code Optional}; a primitive component is always required. So {@code
 * record Weather(String city, @Nullable String units, int days)} needs {@code city} and {@code
 * days}. Classes other than records keep Jackson's rule: a property is required when it says
 * {@code @JsonProperty(required = true)}. Internal; may change at any time.
 */
final class RequiredComponents extends NopAnnotationIntrospector {

  private static final long serialVersionUID = 1L;

  @Override
  public @Nullable Boolean hasRequiredMarker(AnnotatedMember member) {
    return isRequiredComponent(member) ? Boolean.TRUE : null;
  }

  @Override
  public JsonSetter.@Nullable Value findSetterInfo(Annotated annotated) {
    return isRequiredComponent(annotated) ? JsonSetter.Value.forValueNulls(Nulls.FAIL) : null;
  }

  private static boolean isRequiredComponent(Annotated annotated) {
    AnnotatedType type = null;
    Annotation[] declared = null;
    Class<?> raw;
    if (annotated instanceof AnnotatedParameter p
        && p.getOwner().getAnnotated() instanceof Constructor<?> c
        && c.getDeclaringClass().isRecord()
        && p.getIndex() < c.getParameterCount()) {
      type = c.getAnnotatedParameterTypes()[p.getIndex()];
      declared = c.getParameterAnnotations()[p.getIndex()];
      raw = p.getRawType();
    } else if (annotated instanceof AnnotatedField f
        && f.getDeclaringClass().isRecord()
        && !java.lang.reflect.Modifier.isStatic(f.getAnnotated().getModifiers())) {
      type = f.getAnnotated().getAnnotatedType();
      declared = f.getAnnotated().getDeclaredAnnotations();
      raw = f.getRawType();
    } else if (annotated instanceof AnnotatedMethod m
        && m.getDeclaringClass().isRecord()
        && m.getParameterCount() == 0
        && isComponent(m.getDeclaringClass(), m.getName())) {
      type = m.getAnnotated().getAnnotatedReturnType();
      declared = m.getAnnotated().getDeclaredAnnotations();
      raw = m.getRawType();
    } else {
      return false;
    }
    if (raw.isPrimitive()) {
      return true;
    }
    return !namesNullable(type.getAnnotations()) && !namesNullable(declared);
  }

  private static boolean isComponent(Class<?> record, String name) {
    for (var component : record.getRecordComponents()) {
      if (component.getName().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean namesNullable(Annotation[] annotations) {
    for (Annotation annotation : annotations) {
      if (annotation.annotationType().getSimpleName().equals("Nullable")) {
        return true;
      }
    }
    return false;
  }
}
