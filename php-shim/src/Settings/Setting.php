<?php
/**
 * One setting's definition, for screens and commands.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * A Registry entry with its words: what the settings screen renders, what
 * `workos status` shows, what a submitted value is checked against. Plain
 * data: reading it is Settings' (Settings::get(), ::display()), checking a
 * submitted value is Validator's.
 */
final class Setting {

	/**
	 * Its key in Registry::SETTINGS and in the stored option.
	 *
	 * @var string
	 */
	public readonly string $key;

	/**
	 * `string`, `choice`, `url`, `bool`, `map` or `list`.
	 *
	 * @var string
	 */
	public readonly string $type;

	/**
	 * Allowed values of a `choice` setting.
	 *
	 * @var string[]
	 */
	public readonly array $choices;

	/**
	 * Translated name of each of `choices` (value => name), as screens show them.
	 *
	 * @var array<string, string>
	 */
	public readonly array $choice_labels;

	/**
	 * Never shown, only masked; never copied from a constant into the database.
	 *
	 * @var bool
	 */
	public readonly bool $secret;

	/**
	 * Each WorkOS environment has its own value.
	 *
	 * @var bool
	 */
	public readonly bool $per_environment;

	/**
	 * In a multisite network, the network's (never a site's).
	 *
	 * @var bool
	 */
	public readonly bool $network;

	/**
	 * Only a constant sets it (it is never stored).
	 *
	 * @var bool
	 */
	public readonly bool $constant_only;

	/**
	 * The screen section that shows it ('' when none).
	 *
	 * @var string
	 */
	public readonly string $section;

	/**
	 * How a submitted value is checked (see Validator::check()): its own
	 * `rule`, else its type's (`text` for a string).
	 *
	 * @var string
	 */
	public readonly string $rule;

	/**
	 * A well-formed value ('' when the format is obvious).
	 *
	 * @var string
	 */
	public readonly string $example;

	/**
	 * Translated label.
	 *
	 * @var string
	 */
	public readonly string $label;

	/**
	 * Translated help text ('' when the label says it all).
	 *
	 * @var string
	 */
	public readonly string $help;

	/**
	 * The default value.
	 *
	 * @var mixed
	 */
	public readonly mixed $default;

	/**
	 * Builds it from a Registry entry.
	 *
	 * @param string $key   Its key.
	 * @param array  $def   Its Registry::SETTINGS entry.
	 * @param string $label Translated label.
	 * @param string $help  Translated help.
	 * @param array  $names Translated name of each choice (value => name; default: the values).
	 */
	public function __construct( string $key, array $def, string $label, string $help, array $names = array() ) {
		$this->key             = $key;
		$this->type            = $def['type'];
		$this->choices         = $def['choices'] ?? array();
		$this->choice_labels   = array_combine( $this->choices, array_map( static fn( $choice ) => (string) ( $names[ $choice ] ?? $choice ), $this->choices ) );
		$this->default         = $def['default'] ?? null;
		$this->secret          = ! empty( $def['secret'] );
		$this->per_environment = ! empty( $def['per_environment'] );
		$this->network         = ! empty( $def['network'] );
		$this->constant_only   = false === ( $def['stored'] ?? true );
		$this->section         = (string) ( $def['section'] ?? '' );
		$this->rule            = $def['rule'] ?? ( 'string' === $def['type'] ? 'text' : $def['type'] );
		$this->example         = (string) ( $def['example'] ?? '' );
		$this->label           = $label;
		$this->help            = $help;
	}

	/**
	 * The translated name of one of a `choice` setting's values (the value
	 * itself when it has none, or is not one of the choices).
	 *
	 * @param string $value A value.
	 */
	public function choice_name( string $value ): string {
		return $this->choice_labels[ $value ] ?? $value;
	}

	/**
	 * A value as screens show it to people: a choice by its name with the
	 * value in brackets ("Redirect to AuthKit [redirect]"), so that it can be
	 * matched to a constant's value; anything else, and a choice whose name
	 * is its value, as it is. The one place choice names are rendered.
	 *
	 * @param string $value The value (already masked, for a secret).
	 */
	public function describe( string $value ): string {
		$name = $this->choice_name( $value );
		return $name !== $value ? sprintf( '%1$s [%2$s]', $name, $value ) : $value;
	}
}
